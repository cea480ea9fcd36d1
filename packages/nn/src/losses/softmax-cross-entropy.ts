import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING_SAVED_PRIVATE } from "../keeps-nothing.js";
import { fusedKernelFor, Tensor, type FloatArray } from "@heed/tensor-core";
import type { Reduction } from "./reduction.js";

/** The per-row gradient dℓ/dz = p − q and the reduction's divisor, saved for backward. */
interface Saved {
  grad: FloatArray;
  divisor: number;
}

/**
 * Cross-entropy of logit rows [M, C] against int32 targets [M] without class weights, as ONE
 * recorded node: the backend's `softmaxCrossEntropy` kernel computes the per-row losses and
 * their gradient p − q in one pass (tensor-core's fused/cross-entropy.ts); backward scales
 * that gradient by the incoming one (÷ the kept-row count for 'mean'). Same semantics as
 * `crossEntropy`'s composition (its test oracle): 'mean' over non-ignored rows, NaN with a zero
 * gradient when every row is ignored. Targets are validated by the caller.
 */
export function softmaxCrossEntropy(rows: Tensor, target: Tensor, ignoreIndex: number, labelSmoothing: number, reduction: Reduction, outShape: readonly number[]): Tensor {
  const [M, C] = rows.shape as [number, number];
  const f = customVjp<Saved>(
    (z: Tensor) => {
      const r = fusedKernelFor("softmaxCrossEntropy")({ logits: z.data as FloatArray, C, target: target.data as Int32Array, ignoreIndex, labelSmoothing });
      const make = (a: ArrayLike<number>, shape: readonly number[]): Tensor => new Tensor(z.dtype === "float64" ? Float64Array.from(a) : Float32Array.from(a), shape, z.dtype);
      if (reduction === "none") return { output: make(r.loss, outShape), saved: { grad: r.grad, divisor: 1 } };
      let total = 0;
      for (let i = 0; i < M; i++) total += r.loss[i]!;
      // every row ignored: 'mean' is 0/0 = NaN with a zero gradient (PyTorch's: ignored rows get none)
      const value = reduction === "sum" ? total : r.kept === 0 ? NaN : total / r.kept;
      return { output: make([value], []), saved: { grad: r.grad, divisor: reduction === "sum" || r.kept === 0 ? 1 : r.kept } };
    },
    ({ grad, divisor }, g) => {
      const gd = g.data;
      const out = grad instanceof Float64Array ? new Float64Array(grad.length) : new Float32Array(grad.length);
      for (let i = 0; i < M; i++) {
        const s = (reduction === "none" ? gd[i]! : gd[0]!) / divisor;
        for (let c = i * C; c < i * C + C; c++) out[c] = grad[c]! * s;
      }
      return [new Tensor(out, rows.shape, rows.dtype)];
    },
    "softmaxCrossEntropy",
    KEEPS_NOTHING_SAVED_PRIVATE,
  );
  return f(rows);
}
