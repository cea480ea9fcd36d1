/**
 * The fused `dropout` kernel (src/fused/dropout.ts contract) on WebAssembly SIMD
 * (assembly/dropout.ts): the counter-based hash for 4 elements at a time, no mask stored.
 * float64 data (gradient checks) and p within 2⁻³² of 1 use the reference.
 */
import type { DropoutKernel, FloatArray } from "../../fused/index.js";
import { dropoutKey } from "../../fused/dropout-hash.js";
import { dropoutReference, dropoutScale } from "../../fused/dropout.js";
import { getRuntime } from "./state.js";

export const dropout: DropoutKernel = <A extends FloatArray>(args: { x: A; p: number; seed: number }): A => {
  const { x, p, seed } = args;
  const threshold = Math.ceil(p * 4294967296);
  if (!(x instanceof Float32Array) || x.length === 0 || (p < 1 && threshold > 0xffffffff)) return dropoutReference(args);
  const rt = getRuntime();
  const at = rt.reserve(4 * x.length);
  rt.f32.set(x, at >> 2);
  rt.exports.dropoutF32(at, at, x.length, dropoutKey(seed, 0), Math.min(threshold, 0xffffffff), dropoutScale(p, x));
  return rt.read(at, x.length) as A;
};
