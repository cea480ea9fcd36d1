/**
 * matmul: square products and the two attention-shaped batched products
 * (scores = Q·Kᵀ with the transposed operand, and P·V-like [B·H, L, D] × [B·H, D, S]).
 * FLOPs: 2·M·N·K per product (one multiply and one add per inner-product term), times the batch.
 */
import { randomNormal } from "../data.js";
import { heedInput, heedPrepared } from "../heed/prepared.js";
import { need } from "../heed/api.js";
import { jaxInput, jaxPrepared } from "../peers/jax.js";
import { ortPrepared } from "../peers/ort.js";
import { tfInput, tfPrepared } from "../peers/tfjs.js";
import type { BenchCase } from "../types.js";

export const MATMUL_SIZES = {
  full: { square: [128, 256, 512, 1024], batched: { B: 4, H: 8, L: 256, S: 256, D: 64 } },
  quick: { square: [16, 33], batched: { B: 2, H: 2, L: 8, S: 12, D: 4 } },
} as const;

interface MatmulInputs {
  a: Float32Array;
  b: Float32Array;
  aShape: number[];
  bShape: number[];
  outShape: number[];
  transB: boolean;
}

const tolerance = { rtol: 1e-3, atol: 1e-4 };

function matmulCase(id: string, title: string, batch: number, M: number, K: number, N: number, transB: boolean): BenchCase<MatmulInputs> {
  const lead = batch === 1 ? [] : [batch];
  return {
    id,
    family: "matmul",
    title,
    flops: 2 * batch * M * N * K,
    flopFormula: batch === 1 ? "2·M·N·K" : "2·(B·H)·L·S·D",
    tolerance,
    inputs: () => ({
      a: randomNormal(batch * M * K, 1),
      b: randomNormal(batch * K * N, 2),
      aShape: [...lead, M, K],
      bShape: transB ? [...lead, N, K] : [...lead, K, N],
      outShape: [...lead, M, N],
      transB,
    }),
    impls: {
      heed: (ctx, x) => {
        const { matmul } = need(ctx, ["matmul"]);
        const a = heedInput(ctx, x.a, x.aShape);
        const b = heedInput(ctx, x.b, x.bShape);
        return heedPrepared(() => matmul(a, b, { transB: x.transB }));
      },
      tfjs: ({ tf }, x) => {
        const a = tfInput(tf, x.a, x.aShape);
        const b = tfInput(tf, x.b, x.bShape);
        return tfPrepared(tf, () => tf.matMul(a, b, false, x.transB));
      },
      ort: (ctx, x) => {
        const perm = x.bShape.length === 3 ? [0, 2, 1] : [1, 0];
        return ortPrepared(
          ctx,
          {
            name: id,
            inputs: { A: x.aShape, B: x.bShape },
            outputs: { C: x.outShape },
            nodes: x.transB
              ? [
                  { op: "Transpose", inputs: ["B"], outputs: ["Bt"], attrs: { perm } },
                  { op: "MatMul", inputs: ["A", "Bt"], outputs: ["C"] },
                ]
              : [{ op: "MatMul", inputs: ["A", "B"], outputs: ["C"] }],
          },
          { A: { data: x.a, dims: x.aShape }, B: { data: x.b, dims: x.bShape } },
        );
      },
      jax: ({ jax }, x) => {
        const np = jax.numpy;
        const f = jax.jit((a: ReturnType<typeof np.array>, b: ReturnType<typeof np.array>) =>
          np.matmul(a, x.transB ? np.swapaxes(b, -1, -2) : b),
        );
        return jaxPrepared(f, [jaxInput(jax, x.a, x.aShape), jaxInput(jax, x.b, x.bShape)]);
      },
    },
  };
}

export function matmulCases(quick: boolean): BenchCase<MatmulInputs>[] {
  const s = quick ? MATMUL_SIZES.quick : MATMUL_SIZES.full;
  const { B, H, L, S, D } = s.batched;
  const bh = `B·H=${B}·${H}, L=${L}, S=${S}, D=${D}`;
  return [
    ...s.square.map((n) => matmulCase(`matmul/square-${n}`, `[${n},${n}]×[${n},${n}]`, 1, n, n, n, false)),
    matmulCase("matmul/scores-qkT", `[B·H,L,D]×[B·H,S,D]ᵀ (transB; ${bh})`, B * H, L, D, S, true),
    matmulCase("matmul/batched", `[B·H,L,D]×[B·H,D,S] (${bh})`, B * H, L, D, S, false),
  ];
}
