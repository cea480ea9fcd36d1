/**
 * `heed predict --engine ort` for g2p and translate: the exported encoder and one-step decoder
 * graphs on onnxruntime-node, with the same pre- and post-processing and decoding as `heed
 * predict` (g2p: lower-cased words, length-sorted batches of 512, at most min(40, S + 8) steps;
 * translate: source words (rare ones spelled out), length-sorted batches of 128, at most 64 steps, runs of 3+ identical
 * characters cut to 2; with a beam > 1 one input at a time, as Seq2SeqTransformer.generate's beam search).
 * A translate ensemble (sidecar `members`) runs every member's graphs and decodes on the mean of
 * their log-probabilities, as TranslateEnsemble does.
 */
import { CharTokenizer, WordTokenizer, type TokenizerJSON } from "@heed/data";
import { add, logSoftmax, mul, softmax, Tensor } from "@heed/tensor-core";
import { UsageError } from "./errors.js";
import { G2P_MAX_LEN, memberSuffix, TRANSLATE_MAX_LEN, type Sidecar } from "./export.js";
import { sessionOptions, type Ort, type OrtTensor, type Session } from "./export-ort.js";
import { collapseRuns } from "./tasks/translate-decode.js";
import { chunks } from "./tasks/common-data.js";
import { lengthOrder, packRows } from "./tasks/common-seq.js";
import { sourceIds, type SourceUnits } from "./tasks/translate-source.js";

/** How a task turns inputs into source ids and decoded ids into text (as its TaskRuntime.predict does). */
interface Codec {
  batch: number;
  maxSteps: (S: number) => number;
  encode: (input: string) => number[];
  decode: (ids: readonly number[]) => string;
}

function codecOf(sidecar: Sidecar): Codec {
  if (sidecar.task === "g2p") {
    const vocab = sidecar.vocab as { graphemes: TokenizerJSON; phonemes: TokenizerJSON };
    const src = CharTokenizer.fromJSON(vocab.graphemes);
    const tgt = WordTokenizer.fromJSON(vocab.phonemes);
    return {
      batch: 512,
      maxSteps: (S) => Math.min(G2P_MAX_LEN, S + 8),
      encode: (raw) => {
        const w = raw.trim().toLowerCase();
        if (w === "") throw new UsageError("predict: empty input word");
        if (w.length > G2P_MAX_LEN) throw new UsageError(`predict: '${raw}' is longer than ${G2P_MAX_LEN} letters`);
        const unknown = [...new Set([...w].filter((c) => !src.vocab.tokens.includes(c)))];
        if (unknown.length > 0) throw new UsageError(`predict: '${raw}' has characters the model does not know: ${unknown.join(" ")} (it reads a-z and ')`);
        return src.encode(w);
      },
      decode: (ids) => tgt.vocab.decode(ids, { skipSpecial: true }).join(" "),
    };
  }
  if (sidecar.task === "translate") {
    const vocab = sidecar.vocab as { source: TokenizerJSON; target: TokenizerJSON; sourceUnits?: SourceUnits };
    const src = WordTokenizer.fromJSON(vocab.source);
    const tgt = CharTokenizer.fromJSON(vocab.target);
    return {
      batch: 128,
      maxSteps: () => TRANSLATE_MAX_LEN,
      encode: (raw) => {
        const text = raw.trim();
        if (text === "") throw new UsageError("translate: empty input phrase");
        const n = Array.from(text).length;
        if (n > TRANSLATE_MAX_LEN) throw new UsageError(`translate: '${raw}' has ${n} characters, more than the ${TRANSLATE_MAX_LEN} the model reads`);
        return sourceIds(src, vocab.sourceUnits ?? "words", text);
      },
      decode: (ids) => collapseRuns(tgt.decode(ids)),
    };
  }
  throw new UsageError(`predict --engine ort: the '${sidecar.task}' task is not an encoder–decoder task`);
}


/** Rows `rows` of a batch-first tensor (the decoding batch of the next step). */
function gatherRows(ort: Ort, t: OrtTensor, rows: readonly number[]): OrtTensor {
  const dims = t.dims.map(Number);
  const size = dims.slice(1).reduce((a, b) => a * b, 1);
  const data = t.data as Float32Array | Uint8Array;
  const out = data instanceof Float32Array ? new Float32Array(rows.length * size) : new Uint8Array(rows.length * size);
  rows.forEach((r, i) => out.set(data.subarray(r * size, (r + 1) * size), i * size));
  return new ort.Tensor(t.type as "float32", out as Float32Array, [rows.length, ...dims.slice(1)]);
}

interface Hypothesis {
  ids: number[];
  score: number;
  done: boolean;
  /** Decoding row of the hypothesis it extends (live ones). */
  row: number;
}

/** One encoder–decoder's sessions (an ensemble has one per member). */
interface Member {
  encoder: Session;
  decoder: Session;
  /** The encoder graph's output names (the decoder's cross keys/values). */
  crossNames: readonly string[];
}

/** Decoder feeds of every member (src_pad, cross and past keys/values by name). */
type Feeds = Record<string, OrtTensor>[];

export class OrtSeq2Seq {
  readonly #codec: Codec;

  private constructor(
    readonly ort: Ort,
    readonly sidecar: Sidecar,
    readonly members: readonly Member[],
    /** beam width: 1 = greedy */
    readonly beam: number,
  ) {
    this.#codec = codecOf(sidecar);
  }

  /** Sessions for the two graphs (of every member); `beam` defaults to the checkpoint's --beam (as `heed predict`). */
  static async create(ort: Ort, sidecar: Sidecar, files: Record<string, Uint8Array>, threads: number, beam = sidecar.beam): Promise<OrtSeq2Seq> {
    codecOf(sidecar);
    const graph = (name: string) => {
      const g = sidecar.graphs[name];
      if (g === undefined) throw new UsageError(`predict --engine ort: the export has no '${name}' graph (graphs: ${Object.keys(sidecar.graphs).join(", ")})`);
      return g;
    };
    const session = (name: string) => ort.InferenceSession.create(files[graph(name).file]!, sessionOptions(threads));
    const members: Member[] = [];
    for (let k = 0; k < (sidecar.members ?? 1); k++) {
      const suffix = memberSuffix(k);
      members.push({ encoder: await session(`encoder${suffix}`), decoder: await session(`decoder${suffix}`), crossNames: graph(`encoder${suffix}`).outputs });
    }
    return new OrtSeq2Seq(ort, sidecar, members, beam);
  }

  async predict(inputs: readonly string[]): Promise<string[]> {
    const { batch, maxSteps, encode, decode } = this.#codec;
    const ids = inputs.map(encode);
    const out = new Array<string>(inputs.length);
    for (const part of chunks(lengthOrder(ids.length, (i) => ids[i]!.length), this.beam > 1 ? 1 : batch)) {
      const { src, pad, S } = packRows(ids, part);
      const decoded = this.beam > 1 ? [await this.beamSearch(src, pad, S, maxSteps(S))] : await this.greedy(src, pad, part.length, S, maxSteps(S));
      part.forEach((k, r) => (out[k] = decode(decoded[r]!)));
    }
    return out;
  }

  /** Each member decoder's feeds before the first step: src_pad, the encoder's cross keys/values, empty caches. */
  async #start(src: Int32Array, pad: Uint8Array, B: number, S: number): Promise<Feeds> {
    const { ort, sidecar } = this;
    const srcPad = new ort.Tensor("bool", pad, [B, S]);
    const empty = new ort.Tensor("float32", new Float32Array(0), [B, 0, sidecar.dModel]);
    const all: Feeds = [];
    for (const m of this.members) {
      const cross = await m.encoder.run({ src: new ort.Tensor("int32", src, [B, S]), src_pad: srcPad });
      const feeds: Record<string, OrtTensor> = { src_pad: srcPad };
      for (const n of m.crossNames) feeds[n] = cross[n]!;
      for (let l = 0; l < sidecar.numLayers; l++) feeds[`past_key_${l}`] = feeds[`past_value_${l}`] = empty;
      all.push(feeds);
    }
    return all;
  }

  /**
   * One decoder step for the last ids of every row: logits [B, V] (an ensemble: the members' mean
   * log-probabilities, as TranslateEnsemble); the feeds' caches grow by one.
   */
  async #step(all: Feeds, ids: Int32Array): Promise<Float32Array> {
    const outs: Float32Array[] = [];
    for (const [k, m] of this.members.entries()) {
      const feeds = all[k]!;
      const r = await m.decoder.run({ ...feeds, tgt: new this.ort.Tensor("int32", ids, [ids.length, 1]) });
      for (let l = 0; l < this.sidecar.numLayers; l++) {
        feeds[`past_key_${l}`] = r[`present_key_${l}`]!;
        feeds[`past_value_${l}`] = r[`present_value_${l}`]!;
      }
      outs.push(r.logits!.data as Float32Array);
    }
    if (outs.length === 1) return outs[0]!;
    const V = outs[0]!.length / ids.length;
    const logps = outs.map((o) => logSoftmax(new Tensor(o, [ids.length, V], "float32"), -1));
    return mul(logps.reduce((a, b) => add(a, b)), 1 / logps.length).data as Float32Array;
  }

  /** Greedy decoding of B rows (src [B, S], pad true at padding); ids without bos and eos. */
  async greedy(src: Int32Array, pad: Uint8Array, B: number, S: number, maxSteps: number): Promise<number[][]> {
    const { bos, eos } = this.sidecar.specialIds!;
    const feeds = await this.#start(src, pad, B, S);
    const out: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    let ids = new Int32Array(B).fill(bos);
    for (let step = 0; step < maxSteps && done.includes(false); step++) {
      const logits = await this.#step(feeds, ids);
      const V = logits.length / B;
      ids = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        let best = 0;
        for (let v = 1; v < V; v++) if (logits[b * V + v]! > logits[b * V + best]!) best = v;
        ids[b] = done[b] ? 0 : best; // finished rows are fed padding: their outputs are ignored
        if (done[b]) continue;
        if (best === eos) done[b] = true;
        else out[b]!.push(best);
      }
    }
    return out;
  }

  /**
   * Beam search over one source row (src [1, S]), as Seq2SeqTransformer.generate does it: each
   * step extends every live hypothesis by every token (probabilities from Heed's softmax of the
   * graph's logits) and keeps the `beam` best by total log-probability divided by length (bos
   * counted). Returns the best one's ids without bos and eos.
   */
  async beamSearch(src: Int32Array, pad: Uint8Array, S: number, maxSteps: number): Promise<number[]> {
    const { bos, eos } = this.sidecar.specialIds!;
    let feeds = await this.#start(src, pad, 1, S);
    let beams: Hypothesis[] = [{ ids: [bos], score: 0, done: false, row: 0 }];
    for (let step = 0; step < maxSteps && beams.some((h) => !h.done); step++) {
      const live = beams.filter((h) => !h.done);
      if (step > 0) feeds = feeds.map((f) => Object.fromEntries(Object.entries(f).map(([k, t]) => [k, gatherRows(this.ort, t, live.map((h) => h.row))])));
      const logits = await this.#step(feeds, Int32Array.from(live, (h) => h.ids.at(-1)!));
      const V = logits.length / live.length;
      const probs = softmax(new Tensor(logits, [live.length, V], "float32"), -1).data;
      const candidates: Hypothesis[] = beams.filter((h) => h.done);
      live.forEach((h, i) => {
        for (let v = 0; v < V; v++) {
          const p = probs[i * V + v]!;
          if (p > 0) candidates.push({ ids: [...h.ids, v], score: h.score + Math.log(p), done: v === eos, row: i });
        }
      });
      candidates.sort((a, b) => b.score / b.ids.length - a.score / a.ids.length);
      beams = candidates.slice(0, this.beam);
    }
    const best = beams[0]!.ids.slice(1);
    return best.at(-1) === eos ? best.slice(0, -1) : best;
  }
}
