/**
 * Scaled dot-product attention, q = k = v shape [B, H, L, D] (S = L), not causal.
 * Forward FLOPs: 4·B·H·L·S·D (q·kᵀ and p·v; softmax's O(B·H·L·S) left out).
 * Forward+backward: 3× forward (the backward does two products per forward product).
 * Heed runs its `scaledDotProductAttention` ("auto" picks the composed path at these sizes;
 * the memory-efficient cases force implementation "memoryEfficient"); peers compose
 * matmul/softmax as their users would. Backward cases check dq, dk, dv of sum(out ⊙ dy).
 */
import { randomNormal, sizeOf } from "../data.js";
import { need, type SdpaOptions } from "../heed/api.js";
import { heedInput, heedPrepared } from "../heed/prepared.js";
import { jaxInput, jaxPrepared, type JaxArray } from "../peers/jax.js";
import { ortPrepared } from "../peers/ort.js";
import { tfInput, tfPrepared } from "../peers/tfjs.js";
import type { BenchCase } from "../types.js";
import { jaxAttention, onnxAttention, tfAttention } from "./attention-math.js";

export const ATTENTION_SIZES = {
  full: { forward: [[4, 8, 256, 64], [1, 8, 1024, 64]], memoryEfficient: [[1, 1, 4096, 64]], long: [[1, 1, 16384, 64]] },
  quick: { forward: [[2, 2, 16, 8]], memoryEfficient: [[1, 2, 64, 8]], long: [] as number[][] },
} as const;

interface AttentionInputs {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  /** Upstream gradient of the output (backward cases). */
  dy: Float32Array;
  shape: number[];
  scale: number;
}

function inputs(shape: number[]): () => AttentionInputs {
  return () => {
    const n = sizeOf(shape);
    return { q: randomNormal(n, 11), k: randomNormal(n, 12), v: randomNormal(n, 13), dy: randomNormal(n, 14), shape, scale: 1 / Math.sqrt(shape[3]!) };
  };
}

function fail(message: string): never {
  throw new Error(`sdpa backward: ${message}`);
}

const name = (s: readonly number[]) => s.join("x");
const tolerance = { rtol: 1e-3, atol: 1e-4 };

function forwardCase(shape: number[], heedOpts: SdpaOptions, id: string, extra: Partial<BenchCase<AttentionInputs>> = {}): BenchCase<AttentionInputs> {
  const [B, H, L, D] = shape as [number, number, number, number];
  return {
    id,
    family: "attention",
    title: `SDPA forward (B,H,L,D)=(${B},${H},${L},${D}), Heed implementation '${heedOpts.implementation ?? "auto"}'`,
    flops: 4 * B * H * L * L * D,
    flopFormula: "4·B·H·L·S·D",
    tolerance,
    inputs: inputs(shape),
    impls: {
      heed: (ctx, x) => {
        const { scaledDotProductAttention } = need(ctx, ["scaledDotProductAttention"]);
        const [q, k, v] = [heedInput(ctx, x.q, x.shape), heedInput(ctx, x.k, x.shape), heedInput(ctx, x.v, x.shape)];
        return heedPrepared(() => scaledDotProductAttention(q, k, v, heedOpts));
      },
      tfjs: ({ tf }, x) => {
        const [q, k, v] = [x.q, x.k, x.v].map((d) => tfInput(tf, d, x.shape));
        return tfPrepared(tf, () => tfAttention(tf, q!, k!, v!, x.scale));
      },
      ort: (ctx, x) =>
        ortPrepared(ctx, onnxAttention(x.shape, x.scale), {
          Q: { data: x.q, dims: x.shape },
          K: { data: x.k, dims: x.shape },
          V: { data: x.v, dims: x.shape },
        }),
      jax: ({ jax }, x) => {
        const f = jax.jit((q: JaxArray, k: JaxArray, v: JaxArray) => jaxAttention(jax, q, k, v, x.scale));
        return jaxPrepared(f, [x.q, x.k, x.v].map((d) => jaxInput(jax, d, x.shape)));
      },
    },
    ...extra,
  };
}

function backwardCase(shape: number[]): BenchCase<AttentionInputs> {
  const [B, H, L, D] = shape as [number, number, number, number];
  return {
    id: `sdpa/fwd-bwd-${name(shape)}`,
    family: "attention",
    title: `SDPA forward+backward (B,H,L,D)=(${B},${H},${L},${D}): dq, dk, dv of sum(out ⊙ dy)`,
    flops: 3 * 4 * B * H * L * L * D,
    flopFormula: "3·4·B·H·L·S·D",
    tolerance,
    inputs: inputs(shape),
    impls: {
      heed: (ctx, x) => {
        const { scaledDotProductAttention, mul, sum } = need(ctx, ["scaledDotProductAttention", "mul", "sum"]);
        const [q, k, v] = [heedInput(ctx, x.q, x.shape, true), heedInput(ctx, x.k, x.shape, true), heedInput(ctx, x.v, x.shape, true)];
        const dy = heedInput(ctx, x.dy, x.shape);
        return heedPrepared(() => {
          q.grad = k.grad = v.grad = null;
          sum(mul(scaledDotProductAttention(q, k, v), dy)).backward();
          return [q, k, v].map((p) => p.grad ?? fail("no gradient reached q, k or v"));
        });
      },
      tfjs: ({ tf }, x) => {
        const [q, k, v, dy] = [x.q, x.k, x.v, x.dy].map((d) => tfInput(tf, d, x.shape));
        const grads = tf.grads((a, b, c) => tf.sum(tf.mul(tfAttention(tf, a, b, c, x.scale), dy!)));
        return tfPrepared(tf, () => grads([q!, k!, v!]));
      },
      jax: ({ jax }, x) => {
        const np = jax.numpy;
        const loss = (q: JaxArray, k: JaxArray, v: JaxArray, dy: JaxArray) => np.sum(jaxAttention(jax, q, k, v, x.scale).mul(dy));
        const f = jax.jit(jax.grad(loss, { argnums: [0, 1, 2] }));
        return jaxPrepared((...a) => f(...(a as [JaxArray, JaxArray, JaxArray, JaxArray])), [x.q, x.k, x.v, x.dy].map((d) => jaxInput(jax, d, x.shape)));
      },
    },
  };
}

export function attentionCases(quick: boolean): BenchCase<AttentionInputs>[] {
  const sizes = quick ? ATTENTION_SIZES.quick : ATTENTION_SIZES.full;
  const memory = (shape: number[]) => forwardCase(shape, { implementation: "memoryEfficient" }, `sdpa/memory-efficient-${name(shape)}`);
  return [
    ...sizes.forward.map((s) => forwardCase([...s], {}, `sdpa/fwd-${name(s)}`)),
    ...sizes.forward.map((s) => backwardCase([...s])),
    ...sizes.memoryEfficient.map((s) => memory([...s])),
  ];
}

/** The `--long` cases (listed last: minutes per engine, gigabytes for the composed peers). */
export function longAttentionCases(quick: boolean): BenchCase<AttentionInputs>[] {
  const sizes = quick ? ATTENTION_SIZES.quick : ATTENTION_SIZES.full;
  return sizes.long.map((s) =>
    forwardCase([...s], { implementation: "memoryEfficient" }, `sdpa/memory-efficient-${name(s)}`, { long: true, measure: { warmup: 1 } }),
  );
}
