import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING_SAVED_PRIVATE } from "../keeps-nothing.js";
import { fusedKernelFor, Tensor, type FloatArray } from "@heed/tensor-core";

/** Per-row mean and 1/σ: x̂ is recomputed from x in backward (no [R, D] copy kept). */
interface Saved {
  mean: FloatArray;
  rstd: FloatArray;
}

/**
 * Fused layer norm over rows of D contiguous elements: the backend's `layerNormForward` /
 * `layerNormBackward` kernels (WebAssembly SIMD on the wasm backend, float64-accumulating
 * TypeScript otherwise; see @heed/tensor-core's fused/layer-norm.ts for the formulas),
 * recorded as one node. The composition in layer-norm.ts is its test oracle.
 */
export function fusedLayerNorm(x: Tensor, D: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  const data = (t: Tensor | null): FloatArray | null => (t === null ? null : (t.data as FloatArray));
  const f = customVjp<Saved>(
    () => {
      const { out, mean, rstd } = fusedKernelFor("layerNormForward")({ x: x.data as FloatArray, D, weight: data(weight), bias: data(bias), eps });
      return { output: new Tensor(out, x.shape, x.dtype), saved: { mean, rstd } };
    },
    ({ mean, rstd }, g) => {
      const gOut = g.dtype === x.dtype ? g : g.cast(x.dtype);
      const r = fusedKernelFor("layerNormBackward")({ x: x.data as FloatArray, D, weight: data(weight), mean, rstd, gradOut: gOut.data as FloatArray });
      const grads: (Tensor | null)[] = [new Tensor(r.dx, x.shape, x.dtype)];
      if (weight) grads.push(new Tensor(r.dweight!, weight.shape, weight.dtype));
      if (bias) grads.push(new Tensor(r.dbias, bias.shape, bias.dtype));
      return grads;
    },
    "layerNorm",
    KEEPS_NOTHING_SAVED_PRIVATE,
  );
  return f(...inputs);
}
