/**
 * `heed predict --engine ort`: g2p and translate on onnxruntime-node with the exported encoder
 * and one-step decoder graphs, with the same pre- and post-processing as `heed predict`
 * (g2p: lower-cased words, length-sorted batches of 512, greedy for at most min(40, S + 8) steps;
 * translate: source words, length-sorted batches of 128, greedy for at most 64 steps, runs of 3+
 * identical characters cut to 2).
 * onnxruntime-node is an optional dependency, loaded only here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CharTokenizer, WordTokenizer, type TokenizerJSON } from "@heed/data";
import { chunks } from "./tasks/common-data.js";
import { lengthOrder, packRows, words } from "./tasks/common-seq.js";
import { collapseRuns } from "./tasks/translate-decode.js";
import { RuntimeError, UsageError } from "./errors.js";
import { G2P_MAX_LEN, SIDECAR, TRANSLATE_MAX_LEN, type Sidecar } from "./export.js";

type Ort = typeof import("onnxruntime-node");
type Session = Awaited<ReturnType<Ort["InferenceSession"]["create"]>>;
type OrtTensor = InstanceType<Ort["Tensor"]>;

export const ORT_INSTALL = "--engine ort needs onnxruntime-node, an optional dependency that is not installed: run `npm install onnxruntime-node@1.30.0` (or `pnpm add onnxruntime-node@1.30.0`) where heed is installed";

export async function loadOrt(): Promise<Ort> {
  try {
    return await import("onnxruntime-node");
  } catch {
    throw new UsageError(ORT_INSTALL);
  }
}

/** An exported directory (with heed-onnx.json), or null when `path` is not one. */
export function readExport(path: string): { sidecar: Sidecar; files: Record<string, Uint8Array> } | null {
  const file = join(path, SIDECAR);
  if (!existsSync(file)) return null;
  const sidecar = JSON.parse(readFileSync(file, "utf8")) as Sidecar;
  if (sidecar.format !== 1) throw new RuntimeError(`${file}: format ${String(sidecar.format)} is not 1; export the checkpoint again with this heed`);
  const files = Object.fromEntries(Object.values(sidecar.graphs).map((g) => [g.file, new Uint8Array(readFileSync(join(path, g.file)))]));
  return { sidecar, files };
}

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
    const vocab = sidecar.vocab as { source: TokenizerJSON; target: TokenizerJSON };
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
        return src.vocab.encode(words(text));
      },
      decode: (ids) => collapseRuns(tgt.decode(ids)),
    };
  }
  throw new UsageError(`predict --engine ort: the '${sidecar.task}' task has no ONNX Runtime path yet; only g2p and translate do`);
}

export class OrtSeq2Seq {
  readonly #codec: Codec;

  private constructor(
    readonly ort: Ort,
    readonly sidecar: Sidecar,
    readonly encoder: Session,
    readonly decoder: Session,
  ) {
    this.#codec = codecOf(sidecar);
  }

  static async create(ort: Ort, sidecar: Sidecar, files: Record<string, Uint8Array>, threads: number): Promise<OrtSeq2Seq> {
    codecOf(sidecar);
    if (sidecar.beam > 1) throw new UsageError(`predict --engine ort: this model was trained with --beam ${sidecar.beam}, and the ONNX Runtime path decodes greedily only`);
    const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all" as const };
    const session = (name: string) => ort.InferenceSession.create(files[sidecar.graphs[name]!.file]!, opts);
    return new OrtSeq2Seq(ort, sidecar, await session("encoder"), await session("decoder"));
  }

  async predict(inputs: readonly string[]): Promise<string[]> {
    const { batch, maxSteps, encode, decode } = this.#codec;
    const ids = inputs.map(encode);
    const out = new Array<string>(inputs.length);
    for (const part of chunks(lengthOrder(ids.length, (i) => ids[i]!.length), batch)) {
      const { src, pad, S } = packRows(ids, part);
      const decoded = await this.greedy(src, pad, part.length, S, maxSteps(S));
      part.forEach((k, r) => (out[k] = decode(decoded[r]!)));
    }
    return out;
  }

  /** Greedy decoding of B rows (src [B, S], pad true at padding); ids without bos and eos. */
  async greedy(src: Int32Array, pad: Uint8Array, B: number, S: number, maxSteps: number): Promise<number[][]> {
    const { ort, sidecar } = this;
    const { bos, eos } = sidecar.specialIds;
    const srcPad = new ort.Tensor("bool", pad, [B, S]);
    const cross = await this.encoder.run({ src: new ort.Tensor("int32", src, [B, S]), src_pad: srcPad });
    const feeds: Record<string, OrtTensor> = { src_pad: srcPad };
    for (const n of sidecar.graphs.encoder!.outputs) feeds[n] = cross[n]!;
    const empty = new ort.Tensor("float32", new Float32Array(0), [B, 0, sidecar.dModel]);
    for (let l = 0; l < sidecar.numLayers; l++) feeds[`past_key_${l}`] = feeds[`past_value_${l}`] = empty;
    const out: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    let ids = new Int32Array(B).fill(bos);
    for (let step = 0; step < maxSteps && done.includes(false); step++) {
      const r = await this.decoder.run({ ...feeds, tgt: new ort.Tensor("int32", ids, [B, 1]) });
      const logits = r.logits!.data as Float32Array;
      const V = logits.length / B;
      ids = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        let best = 0;
        for (let v = 1; v < V; v++) if (logits[b * V + v]! > logits[b * V + best]!) best = v;
        ids[b] = done[b] ? 0 : best; // finished rows are fed padding, as heed predict does
        if (done[b]) continue;
        if (best === eos) done[b] = true;
        else out[b]!.push(best);
      }
      for (let l = 0; l < sidecar.numLayers; l++) {
        feeds[`past_key_${l}`] = r[`present_key_${l}`]!;
        feeds[`past_value_${l}`] = r[`present_value_${l}`]!;
      }
    }
    return out;
  }
}
