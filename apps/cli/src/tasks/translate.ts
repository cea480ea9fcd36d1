import { BucketSampler, CharTokenizer, seq2seqCollate, type PhrasePair, type Seq2SeqBatch, type TokenizerJSON } from "@heed/data";
import { loadEmojiPairs } from "@heed/data/node";
import { crossEntropy } from "@heed/nn";
import { reshape, type Generator, type Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { UsageError } from "../errors.js";
import { bleu, errorRates } from "../metrics.js";
import type { AttentionMaps, Evaluation, TaskDefinition, TaskRuntime } from "../task.js";
import { Seq2SeqTransformer } from "./g2p-model.js";
import { chunks, limited, percent } from "./common-data.js";
import { mixerPanels } from "./common-mixer.js";
import { lengthOrder, padIds } from "./common-seq.js";

/** Longest source or target phrase (in code points) the model reads; longer inputs are refused. */
const MAX_LEN = 64;
const EVAL_BATCH = 128;

interface TranslateVocab {
  locales: [string, string];
  source: TokenizerJSON;
  target: TokenizerJSON;
}

interface Example {
  source: string;
  target: string;
  src: number[];
  tgt: number[];
}

/** Length of the longest common subsequence of two token lists. */
export function lcsLength<T>(a: readonly T[], b: readonly T[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(up, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * Translation metrics over (hypothesis, reference) strings compared character by character:
 * `exact` share of phrases translated exactly; `charAccuracy` = Σ LCS(hyp, ref) / Σ max(|hyp|, |ref|)
 * (1 for a perfect output; extra and missing characters both count against it, and it never goes
 * below 0 the way 1 − CER does for long outputs); `cer` = character edit distance / reference
 * characters; `bleu` = corpus BLEU-4 over characters.
 */
export function translationMetrics(pairs: readonly { hyp: string; ref: string }[]): Record<string, number> {
  const chars = pairs.map(({ hyp, ref }) => ({ hyp: Array.from(hyp), ref: Array.from(ref) }));
  const { per: cer, wer } = errorRates(chars);
  let common = 0;
  let longest = 0;
  for (const { hyp, ref } of chars) {
    common += lcsLength(hyp, ref);
    longest += Math.max(hyp.length, ref.length);
  }
  return { exact: 1 - wer, charAccuracy: longest === 0 ? 1 : common / longest, cer, bleu: bleu(chars), phrases: pairs.length };
}

class TranslateRuntime implements TaskRuntime {
  readonly model: Seq2SeqTransformer;
  readonly selection = { metric: "validLoss", higherIsBetter: false };
  readonly #config: TrainConfig;
  readonly #locales: [string, string];
  readonly #src: CharTokenizer;
  readonly #tgt: CharTokenizer;
  readonly #splits: Record<"train" | "valid" | "test", Example[]>;
  readonly #sampler: BucketSampler;
  readonly #collate: (pairs: readonly Example[]) => Seq2SeqBatch;

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
    this.#src = vocab ? CharTokenizer.fromJSON(vocab.source) : CharTokenizer.fromCorpus(data.train.map((p) => p.source));
    this.#tgt = vocab ? CharTokenizer.fromJSON(vocab.target) : CharTokenizer.fromCorpus(data.train.map((p) => p.target));
    const fits = (p: PhrasePair): boolean => Array.from(p.source).length <= MAX_LEN && Array.from(p.target).length <= MAX_LEN;
    const encode = (p: PhrasePair): Example => ({ source: p.source, target: p.target, src: this.#src.encode(p.source), tgt: this.#tgt.encode(p.target) });
    this.#splits = { train: data.train.filter(fits).map(encode), valid: data.valid.filter(fits).map(encode), test: data.test.filter(fits).map(encode) };
    const v = this.#tgt.vocab;
    const collate = seq2seqCollate({ padId: v.padId, bosId: v.bosId!, eosId: v.eosId! });
    this.#collate = (examples) => collate(examples.map((e) => ({ src: e.src, tgt: e.tgt })));
    const lengths = this.#splits.train.map((e) => e.src.length + e.tgt.length);
    this.#sampler = new BucketSampler(lengths, { batchSize: config.batchSize, shuffle: true, seed: config.seed, poolBatches: 8 });
    this.model = new Seq2SeqTransformer(
      { srcVocab: this.#src.size, tgtVocab: this.#tgt.size, dModel: config.dModel, heads: config.heads, layers: config.layers, ff: config.ff, dropout: config.dropout, maxLen: MAX_LEN + 2 },
      rng,
    );
  }

  get trainSize(): number {
    return this.#splits.train.length;
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

  #lossOf(examples: readonly Example[], labelSmoothing: number): Tensor {
    const b = this.#collate(examples);
    const logits = this.model.forward(b.src, b.srcPaddingMask, b.tgtIn, b.tgtPaddingMask);
    const [B, T, V] = logits.shape as [number, number, number];
    return crossEntropy(reshape(logits, [B * T, V]), reshape(b.tgtOut, [B * T]), { ignoreIndex: -100, labelSmoothing });
  }

  loss(batch: unknown): Tensor {
    return this.#lossOf((batch as number[]).map((i) => this.#splits.train[i]!), this.#config.labelSmoothing);
  }

  evaluate(split: "valid" | "test", limit: number): Evaluation {
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
    if (limit === 1) return { loss, metrics: {} }; // loss only: the trainer's checkpoint selection
    const subset = limited(all, limit);
    const hyps = this.#translate(subset.map((e) => e.src));
    return { loss, metrics: translationMetrics(subset.map((e, i) => ({ hyp: hyps[i]!, ref: e.target }))) };
  }

  formatMetrics(m: Record<string, number>): string {
    if (m.exact === undefined || m.charAccuracy === undefined || m.bleu === undefined) return "";
    return `Exact: ${percent(m.exact)}, Char accuracy: ${percent(m.charAccuracy)}, BLEU: ${(100 * m.bleu).toFixed(1)}`;
  }

  /** Greedy (or, with --beam > 1, beam-search) translation of source id lists, in length-sorted batches. */
  #translate(srcs: readonly number[][]): string[] {
    const out = new Array<string>(srcs.length);
    const { bosId, eosId } = this.#tgt.vocab;
    const beam = this.#config.beam;
    for (const part of chunks(lengthOrder(srcs.length, (i) => srcs[i]!.length), beam > 1 ? 1 : EVAL_BATCH)) {
      const { ids, padding } = padIds(part.map((k) => srcs[k]!));
      const maxSteps = Math.min(MAX_LEN, 2 * ids.shape[1]! + 8);
      const decoded = beam > 1 ? [this.model.beam(ids, padding, bosId!, eosId!, maxSteps, beam)] : this.model.greedy(ids, padding, bosId!, eosId!, maxSteps);
      part.forEach((k, r) => (out[k] = this.#tgt.decode(decoded[r]!)));
    }
    return out;
  }

  #encodeInputs(inputs: readonly string[]): number[][] {
    return inputs.map((raw) => {
      const text = raw.trim();
      if (text === "") throw new UsageError("translate: empty input phrase");
      const n = Array.from(text).length;
      if (n > MAX_LEN) throw new UsageError(`translate: '${raw}' has ${n} characters, more than the ${MAX_LEN} the model reads`);
      return this.#src.encode(text);
    });
  }

  predict(inputs: string[]): string[] {
    return this.#translate(this.#encodeInputs(inputs));
  }

  /** Cross-attention of every decoder layer and head: rows = translated characters, columns = source characters. */
  attention(input: string): AttentionMaps {
    const src = this.#encodeInputs([input])[0]!;
    const translation = this.#translate([src])[0]!;
    const tgt = Array.from(translation);
    const tgtIn = [this.#tgt.vocab.bosId!, ...this.#tgt.encode(translation)];
    const s = padIds([src]);
    const maps = this.model.attentionMaps(s.ids, s.padding, padIds([tgtIn]).ids);
    const panels = mixerPanels(maps.cross.map((weights, l) => ({ title: `decoder layer ${l + 1} cross-attention`, weights })));
    // row t is the query that predicts character t (it reads bos + the characters before it)
    const rows = tgt.length > 0 ? tgt : ["<eos>"];
    return { rows, cols: Array.from(input.trim()), panels: panels.map((p) => ({ ...p, weights: p.weights.slice(0, rows.length) })) };
  }

  vocab(): TranslateVocab {
    return { locales: this.#locales, source: this.#src.toJSON(), target: this.#tgt.toJSON() };
  }
}

export const translateTask: TaskDefinition = {
  name: "translate",
  description: "emoji-phrase translation between two locales of emojibase-data (default en -> zh), a character-level Transformer encoder-decoder",
  defaults: {
    epochs: 10, batchSize: 32, lr: 2e-3, seed: 1, dModel: 64, heads: 4, layers: 1, ff: 128, dropout: 0.1,
    maxMinutes: 5, maxSteps: 0, warmup: 100, labelSmoothing: 0.1, attention: "multihead", evalSize: 0, beam: 1, locales: ["en", "zh"],
  },
  create(config: TrainConfig, rng: Generator, vocab?: unknown): TaskRuntime {
    if (config.attention !== "multihead") {
      throw new UsageError(`translate uses multi-head attention in its encoder-decoder; --attention ${config.attention} is available for the seed, classify and forecast tasks`);
    }
    return new TranslateRuntime(config, rng, vocab as TranslateVocab | undefined);
  },
};
