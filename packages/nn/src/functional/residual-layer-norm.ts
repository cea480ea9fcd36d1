import { customVjp } from "@heed/autograd";
import { KEEPS_NOTHING_SAVED_PRIVATE } from "../keeps-nothing.js";
import { add, formatShape, fusedKernelFor, shapesEqual, Tensor, type FloatArray, type Generator } from "@heed/tensor-core";
import { dropout } from "./dropout.js";
import { checkEps, layerNorm } from "./layer-norm.js";
import { resolveGenerator } from "../random.js";

interface Saved {
  sum: FloatArray;
  mean: FloatArray;
  rstd: FloatArray;
}

/** One recorded node for layerNorm(x + dropout(s)) over rows of D (tensor-core's fused/residual-layer-norm.ts). */
function fusedNode(D: number, eps: number, p: number, seed: number, hasWeight: boolean, hasBias: boolean): (...inputs: Tensor[]) => Tensor {
  const data = (t: Tensor | undefined): FloatArray | null => (t === undefined ? null : (t.data as FloatArray));
  return customVjp<Saved>(
    (x: Tensor, s: Tensor, ...affine: Tensor[]) => {
      const [w, b] = [hasWeight ? affine[0] : undefined, hasBias ? affine[hasWeight ? 1 : 0] : undefined];
      const r = fusedKernelFor("residualLayerNormForward")({ x: x.data as FloatArray, sublayer: s.data as FloatArray, D, weight: data(w), bias: data(b), eps, p, seed });
      return { output: new Tensor(r.out, x.shape, x.dtype), saved: { sum: r.sum, mean: r.mean, rstd: r.rstd } };
    },
    ({ sum, mean, rstd }, g, [x, , ...affine], needs) => {
      const gOut = g.dtype === x!.dtype ? g : g.cast(x!.dtype);
      const w = hasWeight ? affine[0] : undefined;
      const r = fusedKernelFor("residualLayerNormBackward")({ sum, D, weight: data(w), mean, rstd, gradOut: gOut.data as FloatArray, p, seed });
      const grads: (Tensor | null)[] = [needs[0] ? new Tensor(r.dx, x!.shape, x!.dtype) : null, needs[1] ? new Tensor(r.dsublayer, x!.shape, x!.dtype) : null];
      if (hasWeight) grads.push(new Tensor(r.dweight!, affine[0]!.shape, affine[0]!.dtype));
      if (hasBias) grads.push(new Tensor(r.dbias, affine.at(-1)!.shape, affine.at(-1)!.dtype));
      return grads;
    },
    "residualLayerNorm",
    KEEPS_NOTHING_SAVED_PRIVATE,
  );
}

/**
 * A post-norm residual connection, layerNorm(x + dropout(sublayer, p, training, rng),
 * normalizedShape, weight, bias, eps) — a Transformer layer's `norm(x + dropout(f(x)))` — as
 * ONE recorded node with the same values, bits and dropout mask as the composition (one seed
 * drawn from `rng` when training with p > 0, as `dropout` draws it): on the wasm backend the
 * dropout, add and layer norm run in wasm memory with one copy in and out (tensor-core's fused
 * `residualLayerNorm*` kernels). x and sublayer: [..., *normalizedShape] of one shape and
 * dtype. Other inputs (broadcasting, mixed dtypes, p = 1) use the composition itself.
 *
 * @example
 * residualLayerNorm(x, attnOut, [E], norm.weight, norm.bias, 1e-5, 0.1, model.training, rng);
 */
export function residualLayerNorm(
  x: Tensor, sublayer: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5,
  p = 0, training = true, rng?: Generator,
): Tensor {
  checkEps("residualLayerNorm", eps);
  if (!(p >= 0 && p <= 1)) throw new Error(`residualLayerNorm: probability p must be in [0, 1], got ${p} (x: ${formatShape(x.shape)})`);
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const D = shape.reduce((a, b) => a * b, 1);
  const tail = x.shape.slice(x.rank - shape.length);
  const affineOk = [weight, bias].every((t) => t == null || (t.dtype === x.dtype && shapesEqual(t.shape, shape)));
  const fused = (x.dtype === "float32" || x.dtype === "float64") && sublayer.dtype === x.dtype && shapesEqual(x.shape, sublayer.shape)
    && x.rank >= shape.length && shapesEqual(tail, shape) && affineOk && p < 1 && D > 0;
  if (!fused) return layerNorm(add(x, dropout(sublayer, p, training, rng)), shape, weight, bias, eps);
  const drop = training && p > 0 ? p : 0;
  const seed = drop > 0 ? resolveGenerator(rng).nextUint32() : 0;
  const affine = [...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return fusedNode(D, eps, drop, seed, weight != null, bias != null)(x, sublayer, ...affine);
}
