/**
 * End-to-end: greedy decoding of every CMUdict test word (6,247) with the default g2p model of
 * `heed train g2p` (2+2 layers, d 128, 4 heads, ff 256), as `heed predict`/`eval` decode:
 * length-sorted batches of 512 words, at most min(40, S + 8) steps, Seq2SeqTransformer's
 * `generate` (greedy, key/value cache). The weights are the seeded initial ones, not a trained
 * model's: an untrained model rarely stops early, so nearly every batch runs to its step limit
 * and the time is an upper bound of a trained model's. The Heed engines must decode the same ids.
 */
import type { HeedCtx, Tensor } from "../../heed/api.js";
import type { BenchCase, Prepared } from "../../types.js";
import { g2pData } from "./data.js";
import { G2P_RECIPE, g2pApi, g2pModel } from "./train.js";

const DECODE_SIZES = {
  full: { layers: 2, dModel: 128, ff: 256, words: 0, batch: 512 },
  quick: { layers: 1, dModel: 16, ff: 32, words: 24, batch: 8 },
} as const;

type Size = (typeof DECODE_SIZES)["full"] | (typeof DECODE_SIZES)["quick"];

/** `heed predict`'s word limit (letters). */
const MAX_LETTERS = 40;

async function g2pDecoder(ctx: HeedCtx, size: Size): Promise<() => Float32Array> {
  const api = g2pApi(ctx);
  const data = await g2pData(1, 1, G2P_RECIPE.seed);
  const model = g2pModel(api, data, size, new api.Generator(G2P_RECIPE.seed));
  model.eval();
  const words = size.words > 0 ? data.testWords.slice(0, size.words) : data.testWords;
  const order = words.map((_, i) => i).sort((a, b) => words[a]!.length - words[b]!.length || a - b);
  const batches: { src: Tensor; pad: Tensor; maxSteps: number }[] = [];
  for (let i = 0; i < order.length; i += size.batch) {
    const rows = order.slice(i, i + size.batch);
    const S = Math.max(...rows.map((k) => words[k]!.length), 1);
    const src = new Int32Array(rows.length * S);
    const pad = new Uint8Array(rows.length * S).fill(1);
    rows.forEach((k, r) => {
      src.set(words[k]!, r * S);
      pad.fill(0, r * S, r * S + words[k]!.length);
    });
    batches.push({ src: new api.Tensor(src, [rows.length, S], "int32"), pad: new api.Tensor(pad, [rows.length, S], "bool"), maxSteps: Math.min(MAX_LETTERS, S + 8) });
  }
  return () => {
    const ids: number[] = [];
    for (const b of batches) {
      const out = model.generate(b.src, { srcKeyPaddingMask: b.pad, bosId: data.bosId, eosId: data.eosId, maxSteps: b.maxSteps, numBeams: 1 });
      for (const row of out) ids.push(row.length, ...row);
    }
    return Float32Array.from(ids);
  };
}

export function g2pDecodeCases(quick: boolean): BenchCase<Size>[] {
  const size = quick ? DECODE_SIZES.quick : DECODE_SIZES.full;
  return [
    {
      id: "e2e/g2p-decode",
      family: "e2e",
      title: `greedy decoding of ${size.words > 0 ? size.words : "all 6,247"} CMUdict test words (default g2p model ${size.layers}+${size.layers} layers, E=${size.dModel}, F=${size.ff}, untrained: an upper bound), batches of ${size.batch}`,
      flops: 0,
      flopFormula: "n/a (time for the whole test split)",
      tolerance: { rtol: 0, atol: 0 },
      inputs: () => size,
      // the plain-JS reference kernels take minutes for the whole split; the wasm engines check each other
      ...(quick ? {} : { skip: { "heed-js": "minutes per run on the plain-JS kernels: the wasm engines check each other" }, measure: { warmup: 1, minRuns: 3 } }),
      impls: {
        heed: async (ctx, s): Promise<Prepared> => {
          const decode = await g2pDecoder(ctx, s);
          return { run: () => void decode(), check: () => Promise.resolve([decode()]) };
        },
      },
    },
  ];
}
