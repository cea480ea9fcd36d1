/**
 * The fused layer-norm kernels (src/fused/layer-norm.ts contract) on WebAssembly SIMD
 * (assembly/layer-norm.ts), float32 with float32 accumulation; float64 uses the reference.
 */
import type { FloatArray, LayerNormBackwardKernel, LayerNormForwardKernel } from "../../fused/index.js";
import { layerNormBackwardReference, layerNormForwardReference } from "../../fused/layer-norm.js";
import { getRuntime } from "./state.js";

const f32 = (a: FloatArray | null): a is Float32Array => a instanceof Float32Array;

export const layerNormForward: LayerNormForwardKernel = (args) => {
  const { x, D, weight, bias, eps } = args;
  if (!f32(x) || (weight !== null && !f32(weight)) || (bias !== null && !f32(bias)) || x.length === 0 || D === 0) {
    return layerNormForwardReference(args);
  }
  const R = x.length / D;
  const rt = getRuntime();
  const [px, pw, pb, pm, pr] = rt.layout([4 * x.length, weight ? 4 * D : 0, bias ? 4 * D : 0, 4 * R, 4 * R]) as [number, number, number, number, number];
  const mem = rt.f32;
  mem.set(x, px >> 2);
  if (weight) mem.set(weight, pw >> 2);
  if (bias) mem.set(bias, pb >> 2);
  rt.exports.layerNormForwardF32(px, px, pm, pr, R, D, weight ? pw : 0, bias ? pb : 0, eps);
  return { out: rt.read(px, x.length) as typeof x, mean: rt.read(pm, R), rstd: rt.read(pr, R) };
};

/**
 * Layer-norm backward on the runtime's memory: copies x (the normalised input), gradOut, mean, rstd
 * and weight in, runs the kernel and leaves dx at byte address `dx` (over gradOut's copy) and
 * dweight, dbias at `dweight`, `dbias`, for the caller to read (or to go on working on in place).
 */
export function layerNormBackwardInMemory(x: Float32Array, gradOut: Float32Array, mean: Float32Array, rstd: Float32Array, weight: Float32Array | null, D: number): { dx: number; dweight: number; dbias: number } {
  const R = x.length / D;
  const rt = getRuntime();
  const [px, pg, pm, pr, pw, pdw, pdb] = rt.layout([4 * x.length, 4 * x.length, 4 * R, 4 * R, weight ? 4 * D : 0, 4 * D, 4 * D]) as [number, number, number, number, number, number, number];
  const mem = rt.f32;
  mem.set(x, px >> 2);
  mem.set(gradOut, pg >> 2);
  mem.set(mean, pm >> 2);
  mem.set(rstd, pr >> 2);
  if (weight) mem.set(weight, pw >> 2);
  mem.fill(0, pdw >> 2, (pdw >> 2) + D);
  mem.fill(0, pdb >> 2, (pdb >> 2) + D);
  rt.exports.layerNormBackwardF32(px, pg, pm, pr, R, D, weight ? pw : 0, pg, pdw, pdb);
  return { dx: pg, dweight: pdw, dbias: pdb };
}

export const layerNormBackward: LayerNormBackwardKernel = (args) => {
  const { x, D, weight, mean, rstd, gradOut } = args;
  if (!f32(x) || !f32(gradOut) || !f32(mean) || !f32(rstd) || (weight !== null && !f32(weight)) || x.length === 0 || D === 0) {
    return layerNormBackwardReference(args);
  }
  const rt = getRuntime();
  const at = layerNormBackwardInMemory(x, gradOut, mean, rstd, weight, D);
  return { dx: rt.read(at.dx, x.length) as typeof x, dweight: weight ? (rt.read(at.dweight, D) as typeof x) : null, dbias: rt.read(at.dbias, D) as typeof x };
};
