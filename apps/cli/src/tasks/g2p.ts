import type { Seq2SeqTransformer } from "@heed/attention";
import { BucketSampler, CharTokenizer, seq2seqCollate, WordTokenizer, type Seq2SeqBatch, type TokenizerJSON } from "@heed/data";
import { loadCmudict } from "@heed/datasets/node";
import type { Pronunciation } from "@heed/datasets";
import { Tensor, type Generator } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { UsageError } from "../errors.js";
import { errorRates } from "../metrics.js";
import type { AttentionMaps, BatchPart, Evaluation, EvaluateOptions, TaskDefinition, TaskRuntime } from "../task.js";
import { quoted } from "./common-data.js";
import { seq2seqLoss, seq2seqModel } from "./common-seq2seq.js";
import { lengthOrder, packRows, splitIndices } from "./common-seq.js";

const MAX_LEN = 40;
const EVAL_BATCH = 512;

interface G2PVocab {
  graphemes: TokenizerJSON;
  phonemes: TokenizerJSON;
}

interface Example {
  word: string;
  phonemes: string[];
  src: number[];
  tgt: number[];
}

/**
 * The training split as two flat Int32Arrays plus offsets: 112k small JS arrays would keep
 * ~30 MB of objects alive that every full garbage collection has to trace.
 */
class PackedPairs {
  readonly src: Int32Array;
  readonly tgt: Int32Array;
  readonly srcOffsets: Int32Array;
  readonly tgtOffsets: Int32Array;

  constructor(pairs: readonly { src: readonly number[]; tgt: readonly number[] }[]) {
    this.srcOffsets = new Int32Array(pairs.length + 1);
    this.tgtOffsets = new Int32Array(pairs.length + 1);
    pairs.forEach((p, i) => {
      this.srcOffsets[i + 1] = this.srcOffsets[i]! + p.src.length;
      this.tgtOffsets[i + 1] = this.tgtOffsets[i]! + p.tgt.length;
    });
    this.src = new Int32Array(this.srcOffsets[pairs.length]!);
    this.tgt = new Int32Array(this.tgtOffsets[pairs.length]!);
    pairs.forEach((p, i) => {
      this.src.set(p.src, this.srcOffsets[i]);
      this.tgt.set(p.tgt, this.tgtOffsets[i]);
    });
  }

  get length(): number {
    return this.srcOffsets.length - 1;
  }

  pair(i: number): { src: Int32Array; tgt: Int32Array } {
    return { src: this.src.subarray(this.srcOffsets[i], this.srcOffsets[i + 1]), tgt: this.tgt.subarray(this.tgtOffsets[i], this.tgtOffsets[i + 1]) };
  }

  /** Target tokens of pair i, eos included: the loss terms it adds to a batch. */
  targetTokens(i: number): number {
    return this.tgtOffsets[i + 1]! - this.tgtOffsets[i]! + 1;
  }

  maxLength(i: number): number {
    return Math.max(this.srcOffsets[i + 1]! - this.srcOffsets[i]!, this.tgtOffsets[i + 1]! - this.tgtOffsets[i]!);
  }
}

/**
 * Length-sorted word indices cut into decoding batches: greedy search takes EVAL_BATCH words at a
 * time; beam search takes words of one length only (its batch's step limit and padding are then
 * those of each word alone, as when words were searched one at a time) and EVAL_BATCH / beam of
 * them, so that a batch holds about EVAL_BATCH hypotheses.
 */
function decodeBatches(order: readonly number[], length: (k: number) => number, beam: number): number[][] {
  const out: number[][] = [];
  const size = beam > 1 ? Math.max(1, Math.floor(EVAL_BATCH / beam)) : EVAL_BATCH;
  let part: number[] = [];
  for (const k of order) {
    if (part.length === size || (beam > 1 && part.length > 0 && length(part[0]!) !== length(k))) {
      out.push(part);
      part = [];
    }
    part.push(k);
  }
  if (part.length > 0) out.push(part);
  return out;
}

/** An evenly spread, deterministic subset of `n` items (all of them when n = 0 or n ≥ length). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (n <= 0 || n >= items.length) return items.slice();
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

class G2PRuntime implements TaskRuntime {
  readonly model: Seq2SeqTransformer;
  readonly selection = { metric: "validLoss", higherIsBetter: false };
  readonly #src: CharTokenizer;
  readonly #tgt: WordTokenizer;
  readonly #train: PackedPairs;
  readonly #splits: Record<"valid" | "test", Example[]>;
  readonly #sampler: BucketSampler;
  readonly #collate: (pairs: readonly { src: ArrayLike<number>; tgt: ArrayLike<number> }[]) => Seq2SeqBatch;
  readonly #config: TrainConfig;

  constructor(config: TrainConfig, rng: Generator, vocab?: G2PVocab) {
    this.#config = config;
    const data = loadCmudict();
    this.#src = vocab ? CharTokenizer.fromJSON(vocab.graphemes) : CharTokenizer.fromCorpus(data.train.map((p) => p.word));
    this.#tgt = vocab ? WordTokenizer.fromJSON(vocab.phonemes) : WordTokenizer.fromCorpus(data.train.map((p) => p.phonemes.join(" ")));
    const encode = (p: Pronunciation): Example => ({ ...p, src: this.#src.encode(p.word), tgt: this.#tgt.vocab.encode(p.phonemes) });
    this.#train = new PackedPairs(data.train.map((p) => ({ src: this.#src.encode(p.word), tgt: this.#tgt.vocab.encode(p.phonemes) })));
    this.#splits = { valid: data.valid.map(encode), test: data.test.map(encode) };
    const v = this.#tgt.vocab;
    this.#collate = seq2seqCollate({ padId: v.padId, bosId: v.bosId!, eosId: v.eosId! });
    this.#sampler = new BucketSampler(
      Array.from({ length: this.#train.length }, (_, i) => this.#train.maxLength(i)),
      { batchSize: config.batchSize, shuffle: true, seed: config.seed },
    );
    this.model = seq2seqModel(config, { src: this.#src.size, tgt: this.#tgt.size }, MAX_LEN + 2, rng);
  }

  get trainSize(): number {
    return this.#train.length;
  }

  get testSize(): number {
    return this.#splits.test.length;
  }

  batches(epoch: number): unknown[] {
    return this.#sampler.batches(epoch);
  }

  batchSize(batch: unknown): number {
    return (batch as number[]).length;
  }

  /** Data-parallel parts: every `parts`-th word, weighted by its target tokens (eos included). */
  splitBatch(batch: unknown, parts: number): BatchPart[] {
    return splitIndices(batch, parts, (i) => this.#train.targetTokens(i));
  }

  #lossOf(b: Seq2SeqBatch, labelSmoothing: number): Tensor {
    return seq2seqLoss(this.model, b, labelSmoothing);
  }

  loss(batch: unknown): Tensor {
    const examples = (batch as number[]).map((i) => this.#train.pair(i));
    return this.#lossOf(this.#collate(examples), this.#config.labelSmoothing);
  }

  evaluate(split: "valid" | "test", limit: number, options: EvaluateOptions = {}): Evaluation {
    const all = this.#splits[split];
    // teacher-forced loss over the whole split (length-sorted batches: little padding)
    const order = all.map((_, i) => i).sort((a, b) => all[a]!.src.length - all[b]!.src.length || a - b);
    let lossSum = 0;
    for (let i = 0; i < order.length; i += EVAL_BATCH) {
      const part = order.slice(i, i + EVAL_BATCH).map((k) => all[k]!);
      lossSum += this.#lossOf(this.#collate(part), 0).item() * part.length;
    }
    const loss = lossSum / Math.max(all.length, 1);
    if (options.lossOnly === true) return { loss, metrics: {} };
    const subset = spread(all, limit);
    const hyps = this.#decode(subset.map((e) => e.word));
    const { per, wer } = errorRates(subset.map((e, i) => ({ hyp: hyps[i]!, ref: e.phonemes })));
    return { loss, metrics: { per, wer, words: subset.length } };
  }

  formatMetrics(m: Record<string, number>): string {
    if (m.per === undefined || m.wer === undefined) return "";
    return `PER: ${(100 * m.per).toFixed(1)}%, WER: ${(100 * m.wer).toFixed(1)}%`;
  }

  /** Decode words into phoneme lists, in length-sorted batches. */
  #decode(words: readonly string[]): string[][] {
    const ids = words.map((w) => this.#src.encode(w));
    const out: string[][] = new Array<string[]>(words.length);
    const vocab = this.#tgt.vocab;
    const bos = vocab.bosId!;
    const eos = vocab.eosId!;
    const order = lengthOrder(ids.length, (i) => ids[i]!.length);
    for (const part of decodeBatches(order, (k) => ids[k]!.length, this.#config.beam)) {
      const { src, pad, S } = packRows(ids, part);
      const srcT = new Tensor(src, [part.length, S], "int32");
      const padT = new Tensor(pad, [part.length, S], "bool");
      const maxSteps = Math.min(MAX_LEN, S + 8);
      const decoded = this.model.generate(srcT, { srcKeyPaddingMask: padT, bosId: bos, eosId: eos, maxSteps, numBeams: this.#config.beam });
      part.forEach((k, r) => {
        out[k] = vocab.decode(decoded[r]!, { skipSpecial: true });
      });
    }
    return out;
  }

  #checkWords(inputs: readonly string[]): string[] {
    return inputs.map((raw) => {
      const w = raw.trim().toLowerCase();
      if (w === "") throw new UsageError("predict: empty input word");
      if (w.length > MAX_LEN) throw new UsageError(`predict: ${quoted(raw)} is longer than ${MAX_LEN} letters`);
      const unknown = [...new Set([...w].filter((c) => !this.#src.vocab.tokens.includes(c)))];
      if (unknown.length > 0) throw new UsageError(`predict: ${quoted(raw)} has characters the model does not know: ${unknown.join(" ")} (it reads a-z and ')`);
      return w;
    });
  }

  predict(inputs: string[]): string[] {
    return this.#decode(this.#checkWords(inputs)).map((p) => p.join(" "));
  }

  attention(input: string): AttentionMaps {
    const [word] = this.#checkWords([input]);
    const phonemes = this.#decode([word!])[0]!;
    const vocab = this.#tgt.vocab;
    const src = this.#src.encode(word!);
    const tgtIn = [vocab.bosId!, ...vocab.encode(phonemes)];
    const maps = this.model.attentionMaps(new Tensor(Int32Array.from(src), [1, src.length], "int32"), new Tensor(Int32Array.from(tgtIn), [1, tgtIn.length], "int32"));
    const panels: AttentionMaps["panels"] = [];
    maps.cross.forEach((w, l) => {
      const [, H, T, S] = w.shape as [number, number, number, number];
      for (let h = 0; h < H; h++) {
        const rows = Array.from({ length: T }, (_, t) => Array.from(w.data.subarray((h * T + t) * S, (h * T + t + 1) * S)));
        panels.push({ title: `decoder layer ${l + 1} cross-attention, head ${h + 1}`, weights: rows });
      }
    });
    // row t is the query that predicts phoneme t (it reads bos + the phonemes before it)
    return { rows: phonemes.length > 0 ? phonemes : ["<eos>"], cols: [...word!], panels: panels.map((p) => ({ ...p, weights: p.weights.slice(0, Math.max(phonemes.length, 1)) })) };
  }

  vocab(): G2PVocab {
    return { graphemes: this.#src.toJSON(), phonemes: this.#tgt.toJSON() };
  }
}

export const g2pTask: TaskDefinition = {
  name: "g2p",
  description: "grapheme-to-phoneme on the CMU Pronouncing Dictionary (word -> ARPAbet with stress)",
  // Sized for the README's main job (a 2.25-minute budget on 2 cores, then the whole test split
  // decoded): 2+2 layers with ff 256 and batch 64 take ~3x more steps per minute than the
  // 3+3 / ff 512 / batch 128 recipe (the classic Transformer g2p setting, the README's 20-minute run) and
  // learn faster in the first minutes; that recipe is `--layers 3 --ff 512 --batch-size 128 --warmup 1000 --lr 1e-3`.
  // Measured for the main job (1 thread, ~580 words/s): lr 2e-3 PER 19.6 % / WER 58.9 %, lr 1.5e-3
  // 20.4 / 60.3, ff 512 20.6 / 59.9, batch 96 20.8 / 60.5, 3+3 layers ff 512 24.3 / 66.4.
  defaults: {
    epochs: 30, batchSize: 64, lr: 2e-3, seed: 1, dModel: 128, heads: 4, layers: 2, ff: 256, dropout: 0.1,
    maxMinutes: 2.25, maxSteps: 0, warmup: 300, labelSmoothing: 0.1, attention: "multihead", evalSize: 0, beam: 1, locales: ["en", "zh"],
  },
  create(config: TrainConfig, rng: Generator, vocab?: unknown): TaskRuntime {
    if (config.attention !== "multihead") {
      throw new UsageError(`g2p uses multi-head attention in its encoder-decoder; --attention ${config.attention} is available for the seed and classify tasks`);
    }
    return new G2PRuntime(config, rng, vocab as G2PVocab | undefined);
  },
};
