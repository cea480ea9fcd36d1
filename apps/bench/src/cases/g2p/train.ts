/**
 * End-to-end: the training step `heed train g2p` runs, built from the packages alone (never
 * the CLI): @heed/attention's Seq2SeqTransformer with dropout 0.1, the batch collated from
 * token pairs, token cross-entropy with label smoothing 0.1, `loss.item()`, backward (inside
 * `releaseActivations`, as the CLI's step: the activations and the last step's gradients are
 * reused), clipGradNorm(·, 1.0), Adam (betas 0.9/0.98, eps 1e-9), and the warm-up +
 * inverse-square-root schedule through LambdaLR; the dropout generator is re-seeded per step
 * from `<seed>:dropout:<step>` as the CLI does. Sizes are the #18 recipe
 * (`--layers 3 --ff 512 --batch-size 128 --warmup 1000 --lr 1e-3`, d 128, 4 heads).
 * Heed only (no peer has this model); the Heed engines are checked against each other on
 * three steps' losses. One timed iteration is a step on each of 32 full batches spread evenly
 * over the seeded sampler's epoch 0 (every 27th, in order: their mean length, 16.4 positions of
 * source + decoder input, is the epoch's 16.3, and it varies from batch to batch as the CLI's
 * does), reported as words/s = the iteration's words / its median time, i.e. the mean over the
 * 32 steps.
 */
import { MissingApi, type HeedCtx } from "../../heed/api.js";
import type { BenchCase, Prepared } from "../../types.js";
import { g2pData, type G2PData } from "./data.js";

type Nn = typeof import("@heed/nn");
type Attention = typeof import("@heed/attention");
type Core = typeof import("@heed/tensor-core");
type Autograd = typeof import("@heed/autograd");
export type G2PApi = Pick<Nn, "Adam" | "LambdaLR" | "clipGradNorm" | "warmupInverseSqrt" | "crossEntropy"> & Pick<Attention, "Seq2SeqTransformer"> & Pick<Core, "reshape" | "Generator" | "Tensor"> & {
  /** The CLI's step scope (activations reused after backward); absent in older builds, which run the step as is. */
  releaseActivations: Autograd["releaseActivations"];
};

const NAMES = ["Adam", "LambdaLR", "clipGradNorm", "warmupInverseSqrt", "crossEntropy", "Seq2SeqTransformer", "reshape", "Generator", "Tensor"] as const;

/** The exports this case uses, or MissingApi naming the absent ones. */
export function g2pApi(ctx: HeedCtx): G2PApi {
  const missing = NAMES.filter((n) => typeof ctx.exports.get(n) !== "function");
  if (missing.length > 0) throw new MissingApi([...missing]);
  const release = ctx.exports.get("releaseActivations");
  // an older build: the same step without reuse (zeroGrad instead of replaceGradients)
  const plain = <T>(fn: () => T, options?: { replaceGradients?: Iterable<InstanceType<Core["Tensor"]>> }): T => {
    for (const p of options?.replaceGradients ?? []) p.grad = null;
    return fn();
  };
  const releaseActivations = typeof release === "function" ? (release as Autograd["releaseActivations"]) : plain;
  return { ...Object.fromEntries(NAMES.map((n) => [n, ctx.exports.get(n)])), releaseActivations } as unknown as G2PApi;
}

export const G2P_SIZES = {
  // One timed iteration trains on `batches` full batches spread over epoch 0, in order: their word
  // lengths are a real epoch's, and words/s is the mean over them (8 short batches timed by their
  // median step read ~1.4× faster than `heed train` trains).
  full: { batchSize: 128, layers: 3, dModel: 128, ff: 512, batches: 32 },
  quick: { batchSize: 8, layers: 1, dModel: 16, ff: 32, batches: 2 },
} as const;

export type G2PSize = (typeof G2P_SIZES)["full"] | (typeof G2P_SIZES)["quick"];

/** `heed train g2p`'s settings that are not sizes: words of up to 40 letters (+ bos/eos). */
export const G2P_RECIPE = { heads: 4, maxLen: 42, dropout: 0.1, labelSmoothing: 0.1, lr: 1e-3, warmup: 1000, clip: 1, seed: 1 } as const;

/** A g2p model as the CLI builds it (weights and dropout from one seeded generator). */
export function g2pModel(api: G2PApi, data: G2PData, size: { layers: number; dModel: number; ff: number }, rng: InstanceType<Core["Generator"]>) {
  return new api.Seq2SeqTransformer({
    srcVocab: data.srcVocab, tgtVocab: data.tgtVocab, dModel: size.dModel, nhead: G2P_RECIPE.heads, numEncoderLayers: size.layers, numDecoderLayers: size.layers,
    dimFeedforward: size.ff, dropout: G2P_RECIPE.dropout, maxLen: G2P_RECIPE.maxLen, rng,
  });
}

/** The training settings `g2pSteps` takes (G2P_RECIPE's names). */
export interface G2PTrainRecipe {
  labelSmoothing: number;
  lr: number;
  warmup: number;
  clip: number;
  seed: number;
}

/**
 * An optimizer and schedule for `model` (built from `rng`); each call of the result is one
 * training step on the next of `data.batches` (returns its loss), as `heed train g2p` runs it.
 */
export function g2pSteps(api: G2PApi, data: G2PData, model: ReturnType<typeof g2pModel>, rng: InstanceType<Core["Generator"]>, recipe: G2PTrainRecipe): () => number {
  const optimizer = new api.Adam(model.parameters(), { lr: recipe.lr, betas: [0.9, 0.98], eps: 1e-9 });
  const scheduler = new api.LambdaLR(optimizer, api.warmupInverseSqrt(recipe.warmup));
  model.train();
  const params = model.parameters();
  let step = 0;
  return () => {
    rng.setState(new api.Generator(`${recipe.seed}:dropout:${step}`).getState());
    const b = data.collate(data.batches[step % data.batches.length]!);
    const value = api.releaseActivations(() => {
      const logits = model.forward(b.src, b.tgtIn, { srcKeyPaddingMask: b.srcPaddingMask, tgtKeyPaddingMask: b.tgtPaddingMask });
      const [B, T, V] = logits.shape as [number, number, number];
      const loss = api.crossEntropy(api.reshape(logits, [B * T, V]), api.reshape(b.tgtOut, [B * T]), { ignoreIndex: -100, labelSmoothing: recipe.labelSmoothing });
      const v = loss.item();
      loss.backward();
      return v;
    }, { replaceGradients: params });
    api.clipGradNorm(params, recipe.clip);
    optimizer.step(); // the next step replaces the gradients (the CLI's step: no zeroGrad)
    scheduler.step();
    step += 1;
    return value;
  };
}

/** A fresh model, optimizer and schedule; each call of the result is one training step (returns its loss). */
async function g2pTrainer(ctx: HeedCtx, size: G2PSize): Promise<() => number> {
  const api = g2pApi(ctx);
  const data = await g2pData(size.batchSize, size.batches, G2P_RECIPE.seed);
  const rng = new api.Generator(G2P_RECIPE.seed);
  return g2pSteps(api, data, g2pModel(api, data, size, rng), rng, G2P_RECIPE);
}

export function g2pTrainCases(quick: boolean): BenchCase<G2PSize>[] {
  const size = quick ? G2P_SIZES.quick : G2P_SIZES.full;
  return [
    {
      id: "e2e/g2p-train",
      family: "e2e",
      title: `g2p training as \`heed train g2p\` runs it: ${size.batches} batches of ${size.batchSize} words spread over an epoch per timed iteration (${size.layers}+${size.layers} layers, E=${size.dModel}, F=${size.ff}, dropout 0.1, label smoothing 0.1, clipping 1.0, warm-up schedule)`,
      flops: 0,
      flopFormula: "n/a (throughput in words/s)",
      wordsPerIteration: size.batchSize * size.batches,
      tolerance: { rtol: 2e-4, atol: 2e-5 },
      inputs: () => size,
      // the plain-JS reference kernels take ~1.7 s a step (a minute an iteration); the wasm engines check each other
      ...(quick ? {} : { skip: { "heed-js": "about a minute per iteration on the plain-JS kernels: the wasm engines check each other" }, measure: { warmup: 1, minRuns: 3 } }),
      impls: {
        heed: async (ctx, s): Promise<Prepared> => {
          const step = await g2pTrainer(ctx, s);
          return {
            // one iteration: a step on each of the batches, in order
            run: () => {
              for (let i = 0; i < s.batches; i++) step();
            },
            check: async () => {
              const fresh = await g2pTrainer(ctx, s);
              return [Float32Array.from({ length: 3 }, () => fresh())];
            },
          };
        },
      },
    },
  ];
}
