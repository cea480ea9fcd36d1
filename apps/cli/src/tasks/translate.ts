import { BucketSampler, CharTokenizer, WordTokenizer, seq2seqCollate, type Seq2SeqBatch, type TokenizerJSON } from "@heed/data";
import { loadEmojiPairs } from "@heed/datasets/node";
import type { PhrasePair } from "@heed/datasets";
import { warmupInverseSqrt } from "@heed/nn";
import { Generator, logSoftmax, type Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { UsageError } from "../errors.js";
import type { AttentionMaps, BatchPart, Evaluation, EvaluateOptions, TaskDefinition, TaskRuntime } from "../task.js";
import { seq2seqModel } from "./common-seq2seq.js";
import { chunks, limited, percent, quoted } from "./common-data.js";
import { mixerPanels } from "./common-mixer.js";
import { cosineSchedule } from "./digits.js";
import { lengthOrder, padIds, splitIndices } from "./common-seq.js";
import { collapseRuns } from "./translate-decode.js";
import { NearestTranslation } from "./translate-nearest.js";
import { JointDecoder, TranslateEnsemble, translateLoss, type TranslateModel } from "./translate-ensemble.js";
import { checkMbrOptions, MBR_BEAM, mbrWeightedTranslation, type MbrOptions, type SequenceScore } from "./translate-mbr.js";
import { buildDatastore, checkKnnOptions, KnnDecoder, type KnnDatastore, type KnnOptions } from "./translate-knn.js";
import { generateSeq2Seq, type Seq2SeqDecoderModel, type Seq2SeqTransformer } from "@heed/attention";
import { sampleSeq2Seq } from "./translate-sample.js";
import { translationMetrics } from "./translate-metrics.js";
import { extraTrainingPairs, type ExtraData } from "./translate-extra.js";
import { sourceIds, sourceTokenizer, sourceTokens, type SourceUnits } from "./translate-source.js";

/** Models a new `--recipe long` run trains side by side and decodes jointly (TranslateEnsemble); the default trains one. */
export const MEMBERS = 2;

/** Decoder layers of `--recipe deep` (its encoder has `--layers`, 2 in the recipe). */
export const DEEP_DECODER_LAYERS = 1;

/**
 * The extra training pairs of the default and of the recipes that add some (see translate-extra.ts
 * and RECIPES.md's fifth and eighth rounds): the default trains on the country-name lexicon too.
 * long, tied and deep keep the pairs they were measured with (the training split's alone).
 */
export const EXTRA_DATA: Partial<Record<string, ExtraData>> = {
  default: { countries: true }, variants: { variants: true }, multilingual: { locales: ["zh-hant"] }, "lexicon-tag": { countries: true, countriesTag: true },
};

/** Longest source or target phrase (in code points) the model reads, and the most characters it writes. */
const MAX_LEN = 64;
const EVAL_BATCH = 128;

/** Whether the model reads a pair: at most MAX_LEN code points on either side (the rest are left out of every split). */
function fitsModel(p: PhrasePair): boolean {
  return Array.from(p.source).length <= MAX_LEN && Array.from(p.target).length <= MAX_LEN;
}

interface TranslateVocab {
  locales: [string, string];
  source: TokenizerJSON;
  target: TokenizerJSON;
  /** How the source is cut into tokens; absent in checkpoints written before `spelled` (= `words`). */
  sourceUnits?: SourceUnits;
  /** Ensemble members; absent in checkpoints of one model. */
  members?: number;
  /** The generator's weight is the target embedding's (`--recipe tied`); absent = separate weights. */
  tied?: boolean;
  /** Decoder layers when fewer than `--layers` (`--recipe deep`: 1); absent = `--layers`. */
  decoderLayers?: number;
  /** Extra training pairs (the default's lexicon, `--recipe variants` / `multilingual` / `lexicon-tag`); absent = the task's own pairs only. */
  extra?: ExtraData;
}

interface Example {
  source: string;
  target: string;
  src: number[];
  tgt: number[];
}

class TranslateRuntime implements TaskRuntime {
  readonly model: TranslateModel;
  /** `best/` is the epoch with the highest chrF on the validation split (its loss keeps rising long after the translations stop improving). */
  readonly selection = { metric: "chrf", higherIsBetter: true };
  readonly #config: TrainConfig;
  readonly #locales: [string, string];
  readonly #src: WordTokenizer;
  readonly #units: SourceUnits;
  readonly #tgt: CharTokenizer;
  readonly #splits: Record<"train" | "valid" | "test", Example[]>;
  /** What the model trains on: the training split, then any extra pairs (the nearest-phrase baseline reads the split only). */
  readonly #train: Example[];
  readonly #extra: ExtraData | undefined;
  readonly #sampler: BucketSampler;
  readonly #collate: (pairs: readonly Example[]) => Seq2SeqBatch;
  readonly #nearest: NearestTranslation;
  readonly #tied: boolean;
  readonly #decoderLayers: number | undefined;
  #schedule: ((step: number) => number) | null = null;
  /** Minimum-Bayes-risk decoding for predict and eval (`setMbr`); null = greedy or beam search (what the trainer's evaluations use). */
  #mbr: MbrOptions | null = null;
  /** kNN-MT for every decoding (`setKnn`); null = the model alone. */
  #knn: KnnOptions | null = null;
  /** The training split's (decoder state, next character) pairs, built at the first kNN decoding. */
  #store: KnnDatastore | null = null;

  constructor(config: TrainConfig, rng: Generator, vocab?: TranslateVocab) {
    this.#config = config;
    this.#locales = vocab?.locales ?? config.locales;
    const [from, to] = this.#locales;
    if (from === to) throw new UsageError(`translate: source and target locale are both '${from}'`);
    let data;
    try {
      data = loadEmojiPairs(from, to);
    } catch (e) {
      throw new UsageError(`translate: ${(e as Error).message}`);
    }
    // source: frequent words, the others spelled out (older checkpoints: words, unseen → <unk>); target: characters
    this.#units = vocab ? (vocab.sourceUnits ?? "words") : "spelled";
    this.#extra = vocab ? vocab.extra : EXTRA_DATA[config.recipe ?? "default"];
    const extra = this.#extra === undefined ? [] : extraTrainingPairs(from, to, this.#extra).map((x) => ({ ...x, pairs: x.pairs.filter(fitsModel) }));
    const tags = extra.flatMap((x) => (x.tag === null ? [] : [x.tag]));
    // which words are spelled out is decided by the task's own training phrases (extra pairs repeat their sources)
    this.#src = vocab ? WordTokenizer.fromJSON(vocab.source) : sourceTokenizer(data.train.map((p) => p.source), this.#units, tags);
    this.#tgt = vocab ? CharTokenizer.fromJSON(vocab.target) : CharTokenizer.fromCorpus([...data.train, ...extra.flatMap((x) => x.pairs)].map((p) => p.target));
    const encode = (p: PhrasePair): Example => ({ source: p.source, target: p.target, src: this.#srcIds(p.source), tgt: this.#tgt.encode(p.target) });
    this.#splits = { train: data.train.filter(fitsModel).map(encode), valid: data.valid.filter(fitsModel).map(encode), test: data.test.filter(fitsModel).map(encode) };
    const tagged = (tag: string | null) => (p: PhrasePair): Example => {
      const e = encode(p);
      return tag === null ? e : { ...e, src: [this.#src.vocab.encode([tag])[0]!, ...e.src] };
    };
    this.#train = [...this.#splits.train, ...extra.flatMap((x) => x.pairs.map(tagged(x.tag)))];
    this.#nearest = new NearestTranslation(this.#splits.train);
    const v = this.#tgt.vocab;
    const collate = seq2seqCollate({ padId: v.padId, bosId: v.bosId!, eosId: v.eosId! });
    this.#collate = (examples) => collate(examples.map((e) => ({ src: e.src, tgt: e.tgt })));
    const lengths = this.#train.map((e) => e.src.length + e.tgt.length);
    this.#sampler = new BucketSampler(lengths, { batchSize: config.batchSize, shuffle: true, seed: config.seed, poolBatches: 8 });
    const members = vocab ? (vocab.members ?? 1) : config.recipe === "long" ? MEMBERS : 1;
    this.#tied = vocab ? vocab.tied === true : config.recipe === "tied";
    this.#decoderLayers = vocab ? vocab.decoderLayers : config.recipe === "deep" ? DEEP_DECODER_LAYERS : undefined;
    const build = () => seq2seqModel(config, { src: this.#src.size, tgt: this.#tgt.size }, MAX_LEN + 2, rng, { tied: this.#tied, decoderLayers: this.#decoderLayers });
    this.model = members > 1 ? new TranslateEnsemble(Array.from({ length: members }, build)) : build();
  }

  /**
   * Linear warm-up to --lr, then cosine decay to 0 at the run's last step; checkpoints written
   * before it (`words` source) keep the trainer's warm-up + inverse square root, so --resume goes on as before.
   */
  learningRate(step: number): number {
    const c = this.#config;
    this.#schedule ??= this.#units === "words" ? (n) => c.lr * (c.warmup > 0 ? warmupInverseSqrt(c.warmup)(n - 1) : 1) : cosineSchedule(c, this.#sampler.batches(1).length);
    return this.#schedule(step);
  }

  #srcIds(text: string): number[] {
    return sourceIds(this.#src, this.#units, text);
  }

  get trainSize(): number {
    return this.#train.length;
  }

  get testSize(): number {
    return this.#splits.test.length;
  }

  batches(epoch: number): number[][] {
    return this.#sampler.batches(epoch);
  }

  batchSize(batch: unknown): number {
    return (batch as number[]).length;
  }

  /** Data-parallel parts: every `parts`-th phrase, weighted by its target tokens (eos included). */
  splitBatch(batch: unknown, parts: number): BatchPart[] {
    return splitIndices(batch, parts, (i) => this.#train[i]!.tgt.length + 1);
  }

  #lossOf(examples: readonly Example[], labelSmoothing: number): Tensor {
    return translateLoss(this.model, this.#collate(examples), labelSmoothing);
  }

  loss(batch: unknown): Tensor {
    return this.#lossOf((batch as number[]).map((i) => this.#train[i]!), this.#config.labelSmoothing);
  }

  evaluate(split: "valid" | "test", limit: number, options: EvaluateOptions = {}): Evaluation {
    const all = this.#splits[split];
    const order = lengthOrder(all.length, (i) => all[i]!.src.length);
    let lossSum = 0;
    let tokens = 0;
    for (const part of chunks(order, EVAL_BATCH)) {
      const examples = part.map((k) => all[k]!);
      const n = examples.reduce((s, e) => s + e.tgt.length + 1, 0); // + eos
      lossSum += this.#lossOf(examples, 0).item() * n;
      tokens += n;
    }
    const loss = lossSum / Math.max(tokens, 1);
    if (options.lossOnly === true) return { loss, metrics: {} };
    const subset = limited(all, limit);
    const hyps = this.#translate(subset.map((e) => e.src), subset.map((e) => e.source));
    const model = translationMetrics(subset.map((e, i) => ({ hyp: hyps[i]!, ref: e.target })));
    const near = this.#nearestBaseline(split).slice(0, subset.length);
    const base = translationMetrics(subset.map((e, i) => ({ hyp: near[i]!, ref: e.target })));
    return { loss, metrics: { ...model, nearestChrf: base.chrf!, nearestExact: base.exact! } };
  }

  /** The strong simple baseline: the target of the training phrase nearest (by chrF) to each source, computed once per phrase. */
  #nearestBaseline(split: "valid" | "test"): string[] {
    return this.#splits[split].map((e) => this.#nearest.of(e.source));
  }

  formatMetrics(m: Record<string, number>): string {
    if (m.exact === undefined || m.chrf === undefined || m.charBleu4 === undefined) return "";
    const base = m.nearestChrf === undefined ? "" : ` (nearest training phrase: chrF ${m.nearestChrf.toFixed(1)}, exact ${percent(m.nearestExact ?? 0)})`;
    return `chrF: ${m.chrf.toFixed(1)}, Exact: ${percent(m.exact)}${base}, Char accuracy: ${percent(m.charAccuracy ?? 0)}, char-BLEU-4: ${(100 * m.charBleu4).toFixed(1)}`;
  }

  /** Decode with MBR (translate-mbr.ts) from now on, or (null) with greedy or beam search again. */
  setMbr(options: MbrOptions | null): void {
    this.#mbr = options === null ? null : checkMbrOptions(options);
  }

  /**
   * Decode with kNN-MT (translate-knn.ts) from now on: the next-character distribution mixed with
   * the nearest training-split decoder states' (null: the model alone). One model only.
   */
  setKnn(options: KnnOptions | null): void {
    if (options !== null && this.model instanceof TranslateEnsemble) throw new UsageError(`translate: kNN decoding applies to one model, got an ensemble of ${this.model.size} (--recipe long)`);
    this.#knn = options === null ? null : checkKnnOptions(options);
  }

  /** The training split's datastore (never validation or test; extra pairs are not in it). */
  knnDatastore(): KnnDatastore {
    this.#store ??= buildDatastore(this.model as Seq2SeqTransformer, chunks(this.#splits.train, EVAL_BATCH).map((part) => this.#collate(part)));
    return this.#store;
  }

  /** What decoding steps run: the model, its ensemble decoded jointly, or either with kNN-MT. */
  #decoderModel(): Seq2SeqDecoderModel {
    if (this.#knn !== null) return new KnnDecoder(this.model as Seq2SeqTransformer, this.knnDatastore(), this.#knn);
    return this.model instanceof TranslateEnsemble ? new JointDecoder([...this.model.members]) : this.model;
  }

  /** The model's log-probability of each translation of `targets` given `src` (eos included), teacher-forced. */
  #score(src: readonly number[], targets: readonly string[]): SequenceScore[] {
    const out: SequenceScore[] = [];
    for (const part of chunks(targets, EVAL_BATCH)) {
      const b = this.#collate(part.map((t) => ({ source: "", target: t, src: [...src], tgt: this.#tgt.encode(t) })));
      const model = this.#decoderModel();
      const memory = model.encode(b.src, b.srcPaddingMask);
      const logp = logSoftmax(model.decode(b.tgtIn, memory, { memoryKeyPaddingMask: b.srcPaddingMask, tgtKeyPaddingMask: b.tgtPaddingMask }), -1);
      const [B, T, V] = logp.shape as [number, number, number];
      const gold = b.tgtOut.data as Int32Array;
      const lp = logp.data as Float32Array;
      for (let r = 0; r < B; r++) {
        let sum = 0;
        let n = 0;
        for (let t = 0; t < T; t++) {
          const g = gold[r * T + t]!;
          if (g < 0) continue;
          sum += lp[(r * T + t) * V + g]!;
          n++;
        }
        out.push({ sum, mean: sum / Math.max(n, 1) });
      }
    }
    return out;
  }

  /** Translations of source id lists (`texts`: the phrases they encode): MBR when set, else greedy or beam search with --beam. */
  #translate(srcs: readonly number[][], texts: readonly string[]): string[] {
    return this.#mbr === null ? this.#search(srcs, this.#config.beam) : this.#translateMbr(srcs, texts, this.#mbr);
  }

  /** MBR over greedy, beam (width MBR_BEAM), the model's samples and the nearest training phrases' translations. */
  #translateMbr(srcs: readonly number[][], texts: readonly string[], o: MbrOptions): string[] {
    const greedy = this.#search(srcs, 1);
    const beam = this.#search(srcs, MBR_BEAM);
    const samples = this.#sample(srcs, texts, o);
    return texts.map((text, i) => {
      const c = { greedy: greedy[i]!, beam: beam[i]!, samples: samples[i]!, neighbours: this.#nearest.ofK(text, o.neighbours) };
      const scores = new Map<string, SequenceScore>();
      const score = (t: string): SequenceScore => {
        if (!scores.has(t)) {
          const pool = [...new Set([c.greedy, c.beam, ...c.samples, ...c.neighbours])];
          this.#score(srcs[i]!, pool).forEach((sc, j) => scores.set(pool[j]!, sc));
        }
        return scores.get(t)!;
      };
      return mbrWeightedTranslation(c, o.evidence ?? "samples", score);
    });
  }

  /**
   * `o.samples` translations drawn from the model per phrase, runs cut as greedy's. Each phrase's
   * generator is seeded by the run's --seed and the phrase, so the same checkpoint gives the same
   * samples for a phrase whatever else is decoded with it.
   */
  #sample(srcs: readonly number[][], texts: readonly string[], o: MbrOptions): string[][] {
    const out: string[][] = srcs.map(() => []);
    const { bosId, eosId } = this.#tgt.vocab;
    const model = this.#decoderModel();
    const perBatch = Math.max(1, Math.floor(EVAL_BATCH / o.samples));
    for (const part of chunks(lengthOrder(srcs.length, (i) => srcs[i]!.length), perBatch)) {
      const rows = part.flatMap((k) => Array.from({ length: o.samples }, () => k));
      const rngs = part.flatMap((k) => Array<Generator>(o.samples).fill(new Generator(`${this.#config.seed}:${texts[k]!}`)));
      const { ids, padding } = padIds(rows.map((k) => srcs[k]!));
      const drawn = sampleSeq2Seq(model, ids, rngs, { srcKeyPaddingMask: padding, bosId: bosId!, eosId: eosId!, maxSteps: MAX_LEN, epsilon: o.epsilon });
      rows.forEach((k, r) => out[k]!.push(collapseRuns(this.#tgt.decode(drawn[r]!))));
    }
    return out;
  }

  /** Greedy (beam 1) or beam-search translation of source id lists, in length-sorted batches; runs of 3+ identical characters cut to 2. */
  #search(srcs: readonly number[][], beam: number): string[] {
    const out = new Array<string>(srcs.length);
    const { bosId, eosId } = this.#tgt.vocab;
    for (const part of chunks(lengthOrder(srcs.length, (i) => srcs[i]!.length), beam > 1 ? 1 : EVAL_BATCH)) {
      const { ids, padding } = padIds(part.map((k) => srcs[k]!));
      const options = { srcKeyPaddingMask: padding, bosId: bosId!, eosId: eosId!, maxSteps: MAX_LEN, numBeams: beam };
      const decoded = this.#knn === null ? this.model.generate(ids, options) : generateSeq2Seq(this.#decoderModel(), this.#tgt.size, ids, options);
      part.forEach((k, r) => (out[k] = collapseRuns(this.#tgt.decode(decoded[r]!))));
    }
    return out;
  }

  #encodeInputs(inputs: readonly string[]): number[][] {
    return inputs.map((raw) => {
      const text = raw.trim();
      if (text === "") throw new UsageError("translate: empty input phrase");
      const n = Array.from(text).length;
      if (n > MAX_LEN) throw new UsageError(`translate: ${quoted(raw)} has ${n} characters, more than the ${MAX_LEN} the model reads`);
      return this.#srcIds(text);
    });
  }

  predict(inputs: string[]): string[] {
    return this.#translate(this.#encodeInputs(inputs), inputs.map((t) => t.trim()));
  }

  /** Cross-attention of every decoder layer and head: rows = translated characters, columns = source words (unknown ones marked '?'). */
  attention(input: string): AttentionMaps {
    const src = this.#encodeInputs([input])[0]!;
    const translation = this.#translate([src], [input.trim()])[0]!;
    const tgt = Array.from(translation);
    const tgtIn = [this.#tgt.vocab.bosId!, ...this.#tgt.encode(translation)];
    const s = padIds([src]);
    const maps = this.model.attentionMaps(s.ids, padIds([tgtIn]).ids, { srcKeyPaddingMask: s.padding });
    const panels = mixerPanels(maps.cross.map((weights, l) => ({ title: `decoder layer ${l + 1} cross-attention`, weights })));
    // row t is the query that predicts character t (it reads bos + the characters before it)
    const rows = tgt.length > 0 ? tgt : ["<eos>"];
    const cols = sourceTokens(this.#src, this.#units, input.trim());
    return { rows, cols, panels: panels.map((p) => ({ ...p, weights: p.weights.slice(0, rows.length) })) };
  }

  vocab(): TranslateVocab {
    const members = this.model instanceof TranslateEnsemble ? { members: this.model.size } : {};
    return { locales: this.#locales, source: this.#src.toJSON(), target: this.#tgt.toJSON(), sourceUnits: this.#units, ...members, ...(this.#tied ? { tied: true } : {}), ...(this.#decoderLayers === undefined ? {} : { decoderLayers: this.#decoderLayers }), ...(this.#extra === undefined ? {} : { extra: this.#extra }) };
  }
}

export const translateTask: TaskDefinition = {
  name: "translate",
  description: "emoji-phrase translation between two locales of emojibase-data (default en -> zh): a Transformer encoder over the source words (rare ones spelled out letter by letter) and a character-level decoder",
  // evalSize 200 > the test split: every test phrase is translated each epoch (reported only); the
  // trainer's validation pass translates every validation phrase too, to pick `best/` by chrF
  defaults: {
    epochs: 50, batchSize: 32, lr: 2e-3, seed: 1, dModel: 128, heads: 4, layers: 1, ff: 256, dropout: 0.2,
    maxMinutes: 5, maxSteps: 0, warmup: 50, labelSmoothing: 0.1, attention: "multihead", evalSize: 200, beam: 1, locales: ["en", "zh"],
  },
  // an ensemble of MEMBERS models decoded jointly: twice the CPU of the default (~300 s on one idle core), so 10 minutes
  // tied: the default with the decoder's output projection tied to its input embedding (see apps/cli/RECIPES.md)
  // deep: --layers 2 encoder layers over DEEP_DECODER_LAYERS decoder layer; the recipes keep the
  // 30 epochs they were measured with (the default's 40 won the fourth round on validation chrF, 50 the fifth)
  // variants / multilingual: EXTRA_DATA's extra training pairs, with fewer epochs for about the default's steps;
  // lexicon-tag: the default's country-name lexicon (279 short pairs) with each source led by <lex>
  recipes: { long: { maxMinutes: 10, epochs: 30 }, tied: { epochs: 30 }, deep: { layers: 2, epochs: 30 }, variants: { epochs: 20 }, multilingual: { epochs: 20 }, "lexicon-tag": {} },
  create(config: TrainConfig, rng: Generator, vocab?: unknown): TaskRuntime {
    if (config.attention !== "multihead") {
      throw new UsageError(`translate uses multi-head attention in its encoder-decoder; --attention ${config.attention} is available for the seed, classify and forecast tasks`);
    }
    return new TranslateRuntime(config, rng, vocab as TranslateVocab | undefined);
  },
};
