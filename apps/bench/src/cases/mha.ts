/**
 * MultiHeadAttention forward+backward (self-attention, E = 128, H = 4, L = 64, B = 16):
 * gradients of sum(out ⊙ dy) with respect to x, in_proj_weight and out_proj.weight.
 * FLOPs: 3·(8·B·L·E² + 4·B·L²·E) — projections 2·B·L·E·(3E + E), attention 4·B·L·S·E,
 * backward = 2× forward.
 */
import { randomNormal } from "../data.js";
import { need } from "../heed/api.js";
import { heedInput, heedPrepared, heedStateDict } from "../heed/prepared.js";
import { jaxInput, jaxPrepared, type JaxArray } from "../peers/jax.js";
import { tfInput, tfPrepared } from "../peers/tfjs.js";
import type { BenchCase } from "../types.js";
import { jaxMha } from "./attention-math.js";
import { mhaWeights, weight, type Weights } from "./transformer-params.js";
import { tfMha, tfParams } from "./transformer-tf.js";

export const MHA_SIZES = {
  full: { B: 16, L: 64, E: 128, H: 4 },
  quick: { B: 2, L: 8, E: 16, H: 2 },
} as const;

export interface BlockInputs {
  B: number;
  L: number;
  E: number;
  H: number;
  x: Float32Array;
  /** Upstream gradient (fwd+bwd) or regression target (training). */
  y: Float32Array;
  weights: Weights;
}

export function mhaFlops(B: number, L: number, E: number): number {
  return 8 * B * L * E * E + 4 * B * L * L * E;
}

export function mhaCases(quick: boolean): BenchCase<BlockInputs>[] {
  const { B, L, E, H } = quick ? MHA_SIZES.quick : MHA_SIZES.full;
  const xShape = [B, L, E];
  return [
    {
      id: "mha/fwd-bwd",
      family: "mha",
      title: `MultiHeadAttention forward+backward, self-attention, E=${E}, H=${H}, L=${L}, B=${B}: d x, d in_proj_weight, d out_proj.weight`,
      flops: 3 * mhaFlops(B, L, E),
      flopFormula: "3·(8·B·L·E² + 4·B·L²·E)",
      tolerance: { rtol: 1e-3, atol: 1e-4 },
      inputs: () => ({ B, L, E, H, x: randomNormal(B * L * E, 21), y: randomNormal(B * L * E, 22), weights: mhaWeights(E) }),
      impls: {
        heed: (ctx, i) => {
          const { MultiHeadAttention, mul, sum } = need(ctx, ["MultiHeadAttention", "mul", "sum"]);
          const mha = new MultiHeadAttention({ embedDim: i.E, numHeads: i.H });
          mha.loadStateDict(heedStateDict(ctx, i.weights));
          const params = new Map(mha.namedParameters());
          const x = heedInput(ctx, i.x, xShape, true);
          const dy = heedInput(ctx, i.y, xShape);
          return heedPrepared(() => {
            mha.zeroGrad();
            x.grad = null;
            sum(mul(mha.forward(x, x, x, { needWeights: false }).output, dy)).backward();
            return [x.grad, params.get("in_proj_weight")?.grad, params.get("out_proj.weight")?.grad].map((g) => {
              if (g == null) throw new Error("mha/fwd-bwd: a gradient is missing after backward()");
              return g;
            });
          });
        },
        tfjs: ({ tf }, i) => {
          const ps = tfParams(tf, i.weights, false);
          const x = tfInput(tf, i.x, xShape);
          const dy = tfInput(tf, i.y, xShape);
          const grads = tf.grads((xx, win, wout) =>
            tf.sum(tf.mul(tfMha(tf, xx, { ...ps, in_proj_weight: win, "out_proj.weight": wout }, i.H), dy)),
          );
          return tfPrepared(tf, () => grads([x, ps.in_proj_weight!, ps["out_proj.weight"]!]));
        },
        jax: ({ jax }, i) => {
          const loss = (x: JaxArray, win: JaxArray, bin: JaxArray, wout: JaxArray, bout: JaxArray, dy: JaxArray) =>
            jax.numpy.sum(jaxMha(jax, x, win, bin, wout, bout, i.H).mul(dy));
          const f = jax.jit(jax.grad(loss, { argnums: [0, 1, 3] }));
          const w = (name: string) => jaxInput(jax, weight(i.weights, name).data, weight(i.weights, name).shape);
          const args = [jaxInput(jax, i.x, xShape), w("in_proj_weight"), w("in_proj_bias"), w("out_proj.weight"), w("out_proj.bias"), jaxInput(jax, i.y, xShape)];
          return jaxPrepared((...a) => f(...(a as [JaxArray, JaxArray, JaxArray, JaxArray, JaxArray, JaxArray])), args);
        },
      },
    },
  ];
}
