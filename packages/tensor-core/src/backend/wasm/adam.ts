/**
 * The fused `adamStep` kernel (src/fused/adam.ts) on WebAssembly SIMD (assembly/adam.ts):
 * float32 without amsgrad; the updated param, m and v are copied back into the caller's
 * arrays (no allocation). Other cases use the reference.
 */
import type { AdamStepKernel } from "../../fused/index.js";
import { adamStepReference } from "../../fused/adam.js";
import { getRuntime } from "./state.js";

export const adamStep: AdamStepKernel = (args) => {
  const { param, grad, m, v, vmax } = args;
  const n = param.length;
  const all32 = param instanceof Float32Array && grad instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array;
  if (!all32 || vmax !== null || n === 0) {
    adamStepReference(args);
    return;
  }
  const rt = getRuntime();
  const [px, pg, pm, pv] = rt.layout([4 * n, 4 * n, 4 * n, 4 * n]) as [number, number, number, number];
  const f32 = rt.f32;
  f32.set(param, px >> 2);
  f32.set(grad, pg >> 2);
  f32.set(m, pm >> 2);
  f32.set(v, pv >> 2);
  const { beta1, beta2, eps, stepSize, bc2Sqrt, decay, l2, maximize } = args;
  rt.exports.adamStepF32(px, pg, pm, pv, n, 1 - beta1, beta2, 1 - beta2, eps, stepSize, bc2Sqrt, decay, l2, maximize ? 1 : 0);
  param.set(f32.subarray(px >> 2, (px >> 2) + n));
  m.set(f32.subarray(pm >> 2, (pm >> 2) + n));
  v.set(f32.subarray(pv >> 2, (pv >> 2) + n));
};
