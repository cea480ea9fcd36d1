/**
 * Examples per second over a sliding window (default 30 s): long enough that batches of
 * different lengths, garbage collections and checkpoint saves do not make the printed speed
 * jump, short enough to follow a real change. `add` returns the rate after counting a batch.
 */
export class RateMeter {
  readonly #windowMs: number;
  readonly #now: () => number;
  /** (time, examples counted so far) samples; the first one is at or just before the window start */
  #samples: { t: number; n: number }[] = [];
  #total = 0;

  constructor({ windowSeconds = 30, now = () => performance.now() }: { windowSeconds?: number; now?: () => number } = {}) {
    this.#windowMs = windowSeconds * 1000;
    this.#now = now;
  }

  /** Start (or restart) measuring from now. */
  start(): void {
    this.#total = 0;
    this.#samples = [{ t: this.#now(), n: 0 }];
  }

  add(examples: number): number {
    if (this.#samples.length === 0) this.start();
    const t = this.#now();
    this.#total += examples;
    this.#samples.push({ t, n: this.#total });
    while (this.#samples.length > 2 && this.#samples[1]!.t <= t - this.#windowMs) this.#samples.shift();
    const first = this.#samples[0]!;
    return t > first.t ? ((this.#total - first.n) * 1000) / (t - first.t) : 0;
  }
}
