/**
 * `heed predict --engine ort`: g2p on onnxruntime-node with the exported encoder and one-step
 * decoder graphs, with the same pre- and post-processing as `heed predict` (lower-cased words,
 * length-sorted batches of 512, greedy decoding for at most min(40, S + 8) steps).
 * onnxruntime-node is an optional dependency, loaded only here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CharTokenizer, WordTokenizer, type TokenizerJSON } from "@heed/data";
import { RuntimeError, UsageError } from "./errors.js";
import { G2P_MAX_LEN, SIDECAR, type Sidecar } from "./export.js";

type Ort = typeof import("onnxruntime-node");
type Session = Awaited<ReturnType<Ort["InferenceSession"]["create"]>>;
type OrtTensor = InstanceType<Ort["Tensor"]>;

const BATCH = 512;
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

export class OrtG2P {
  readonly #src: CharTokenizer;
  readonly #tgt: WordTokenizer;

  private constructor(
    readonly ort: Ort,
    readonly sidecar: Sidecar,
    readonly encoder: Session,
    readonly decoder: Session,
  ) {
    const vocab = sidecar.vocab as { graphemes: TokenizerJSON; phonemes: TokenizerJSON };
    this.#src = CharTokenizer.fromJSON(vocab.graphemes);
    this.#tgt = WordTokenizer.fromJSON(vocab.phonemes);
  }

  static async create(ort: Ort, sidecar: Sidecar, files: Record<string, Uint8Array>, threads: number): Promise<OrtG2P> {
    if (sidecar.task !== "g2p") throw new UsageError(`predict --engine ort: the '${sidecar.task}' task has no ONNX Runtime path yet; only g2p does`);
    if (sidecar.beam > 1) throw new UsageError(`predict --engine ort: this model was trained with --beam ${sidecar.beam}, and the ONNX Runtime path decodes greedily only`);
    const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all" as const };
    const session = (name: string) => ort.InferenceSession.create(files[sidecar.graphs[name]!.file]!, opts);
    return new OrtG2P(ort, sidecar, await session("encoder"), await session("decoder"));
  }

  #checkWords(inputs: readonly string[]): string[] {
    return inputs.map((raw) => {
      const w = raw.trim().toLowerCase();
      if (w === "") throw new UsageError("predict: empty input word");
      if (w.length > G2P_MAX_LEN) throw new UsageError(`predict: '${raw}' is longer than ${G2P_MAX_LEN} letters`);
      const unknown = [...new Set([...w].filter((c) => !this.#src.vocab.tokens.includes(c)))];
      if (unknown.length > 0) throw new UsageError(`predict: '${raw}' has characters the model does not know: ${unknown.join(" ")} (it reads a-z and ')`);
      return w;
    });
  }

  async predict(inputs: readonly string[]): Promise<string[]> {
    const words = this.#checkWords(inputs);
    const ids = words.map((w) => this.#src.encode(w));
    const out = new Array<string>(words.length);
    const order = ids.map((_, i) => i).sort((a, b) => ids[a]!.length - ids[b]!.length || a - b);
    for (let i = 0; i < order.length; i += BATCH) {
      const part = order.slice(i, i + BATCH);
      const S = Math.max(...part.map((k) => ids[k]!.length), 1);
      const src = new Int32Array(part.length * S);
      const pad = new Uint8Array(part.length * S).fill(1);
      part.forEach((k, r) => {
        src.set(ids[k]!, r * S);
        pad.fill(0, r * S, r * S + ids[k]!.length);
      });
      const decoded = await this.greedy(src, pad, part.length, S, Math.min(G2P_MAX_LEN, S + 8));
      part.forEach((k, r) => (out[k] = this.#tgt.vocab.decode(decoded[r]!, { skipSpecial: true }).join(" ")));
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
