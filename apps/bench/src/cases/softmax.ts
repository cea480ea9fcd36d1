/**
 * softmax over the last axis of attention scores [B, H, L, S].
 * FLOPs: 5·B·H·L·S (per element: max, subtract, exp, sum, divide).
 */
import { randomNormal, sizeOf } from "../data.js";
import { need } from "../heed/api.js";
import { heedInput, heedPrepared } from "../heed/prepared.js";
import { jaxInput, jaxPrepared, type JaxArray } from "../peers/jax.js";
import { ortPrepared } from "../peers/ort.js";
import { tfInput, tfPrepared } from "../peers/tfjs.js";
import type { BenchCase } from "../types.js";

export const SOFTMAX_SIZES = {
  full: { B: 4, H: 8, L: 256, S: 256 },
  quick: { B: 2, H: 2, L: 8, S: 12 },
} as const;

interface SoftmaxInputs {
  x: Float32Array;
  shape: number[];
}

export function softmaxCases(quick: boolean): BenchCase<SoftmaxInputs>[] {
  const { B, H, L, S } = quick ? SOFTMAX_SIZES.quick : SOFTMAX_SIZES.full;
  const shape = [B, H, L, S];
  return [
    {
      id: "softmax/last-axis",
      family: "softmax",
      title: `softmax(x, -1), x [B,H,L,S] = [${shape.join(",")}]`,
      flops: 5 * sizeOf(shape),
      flopFormula: "5·B·H·L·S",
      tolerance: { rtol: 1e-4, atol: 1e-6 },
      inputs: () => ({ x: randomNormal(sizeOf(shape), 3, 3), shape }),
      impls: {
        heed: (ctx, { x, shape }) => {
          const { softmax } = need(ctx, ["softmax"]);
          const t = heedInput(ctx, x, shape);
          return heedPrepared(() => softmax(t, -1));
        },
        tfjs: ({ tf }, { x, shape }) => {
          const t = tfInput(tf, x, shape);
          return tfPrepared(tf, () => tf.softmax(t, -1));
        },
        ort: (ctx, { x, shape }) =>
          ortPrepared(
            ctx,
            { name: "softmax", inputs: { X: shape }, outputs: { Y: shape }, nodes: [{ op: "Softmax", inputs: ["X"], outputs: ["Y"], attrs: { axis: -1 } }] },
            { X: { data: x, dims: shape } },
          ),
        jax: ({ jax }, { x, shape }) => {
          const f = jax.jit((t: JaxArray) => jax.nn.softmax(t, -1));
          return jaxPrepared(f, [jaxInput(jax, x, shape)]);
        },
      },
    },
  ];
}
