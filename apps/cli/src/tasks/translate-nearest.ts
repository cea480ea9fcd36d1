import { NearestPhrase } from "./common-nearest.js";

/** The nearest-training-phrase translation of a phrase (sentence chrF, as the baseline), cached per phrase. */
export class NearestTranslation {
  readonly #train: readonly { source: string; target: string }[];
  readonly #index: NearestPhrase;
  readonly #cache = new Map<string, string>();

  constructor(train: readonly { source: string; target: string }[]) {
    this.#train = train;
    this.#index = new NearestPhrase(train.map((p) => p.source));
  }

  of(text: string): string {
    let t = this.#cache.get(text);
    if (t === undefined) {
      t = this.#train[this.#index.nearest(text)]!.target;
      this.#cache.set(text, t);
    }
    return t;
  }

  /** The translations of the `k` training phrases nearest to `text`, nearest first. */
  ofK(text: string, k: number): string[] {
    return this.#index.nearestK(text, k).map((i) => this.#train[i]!.target);
  }
}
