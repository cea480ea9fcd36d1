/**
 * End-to-end: greedy decoding of every CMUdict test word (6,247) with the default g2p model of
 * `heed train g2p` (2+2 layers, d 128, 4 heads, ff 256), as `heed predict`/`eval` decode:
 * length-sorted batches of 512 words, at most min(40, S + 8) steps, Seq2SeqTransformer's
 * `generate` (greedy, key/value cache) inside `noGrad`. Two cases:
 * - `e2e/g2p-decode-trained`: the model trained for 600 steps (see trained.ts; trained once and
 *   cached in apps/bench/.cache). Rows stop at their eos, so this is the time a trained model
 *   takes (#18's target).
 * - `e2e/g2p-decode`: the seeded initial weights. An untrained model rarely stops early, so
 *   nearly every batch runs to its step limit: an upper bound.
 * The Heed engines must decode the same ids.
 */
import { MissingApi, type HeedCtx, type Tensor } from "../../heed/api.js";
import type { BenchCase, Prepared } from "../../types.js";
import { trainedG2P } from "./trained.js";
import { g2pApi } from "./train.js";

const DECODE_SIZES = {
  full: { layers: 2, dModel: 128, ff: 256, words: 0, batch: 512 },
  quick: { layers: 1, dModel: 16, ff: 32, words: 24, batch: 8 },
} as const;

/** Training steps of the trained case (quick: a few, not cached). */
const TRAIN_STEPS = { full: 600, quick: 3 } as const;

type Size = ((typeof DECODE_SIZES)["full"] | (typeof DECODE_SIZES)["quick"]) & { trainSteps: number; cache: boolean };

/** `heed predict`'s word limit (letters). */
const MAX_LETTERS = 40;

async function g2pDecoder(ctx: HeedCtx, size: Size): Promise<() => Float32Array> {
  const { model, data } = await trainedG2P(ctx, size);
  const { Tensor: TensorClass } = g2pApi(ctx);
  const noGrad = ctx.exports.get("noGrad");
  if (typeof noGrad !== "function") throw new MissingApi(["noGrad"]);
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
    batches.push({ src: new TensorClass(src, [rows.length, S], "int32"), pad: new TensorClass(pad, [rows.length, S], "bool"), maxSteps: Math.min(MAX_LETTERS, S + 8) });
  }
  return () =>
    (noGrad as <T>(fn: () => T) => T)(() => {
      const ids: number[] = [];
      for (const b of batches) {
        const out = model.generate(b.src, { srcKeyPaddingMask: b.pad, bosId: data.bosId, eosId: data.eosId, maxSteps: b.maxSteps, numBeams: 1 });
        for (const row of out) ids.push(row.length, ...row);
      }
      return Float32Array.from(ids);
    });
}

function decodeCase(quick: boolean, trained: boolean): BenchCase<Size> {
  const base = quick ? DECODE_SIZES.quick : DECODE_SIZES.full;
  const size: Size = { ...base, trainSteps: trained ? TRAIN_STEPS[quick ? "quick" : "full"] : 0, cache: trained && !quick };
  const words = size.words > 0 ? String(size.words) : "all 6,247";
  const weights = trained ? `trained ${size.trainSteps} steps` : "untrained: an upper bound";
  return {
    id: trained ? "e2e/g2p-decode-trained" : "e2e/g2p-decode",
    family: "e2e",
    title: `greedy decoding of ${words} CMUdict test words (default g2p model ${size.layers}+${size.layers} layers, E=${size.dModel}, F=${size.ff}, ${weights}), batches of ${size.batch}`,
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
  };
}

export function g2pDecodeCases(quick: boolean): BenchCase<Size>[] {
  return [decodeCase(quick, false), decodeCase(quick, true)];
}
