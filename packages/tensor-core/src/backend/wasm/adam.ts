/**
 * The fused `adamStep` and `adamStepMulti` kernels (src/fused/adam.ts) on WebAssembly SIMD
 * (assembly/adam.ts): float32 without amsgrad; the updated params, m and v are copied back
 * into the caller's arrays (no allocation). `adamStepMulti` lays the parameters end to end in
 * wasm memory (up to CHUNK floats at a time) and updates them with one call: the update is element-wise with the same
 * scalars, and the SIMD body and scalar tail compute the same float32 operations, so every
 * element gets the bits of its own `adamStep` call. Other cases use the reference.
 */
import type { AdamStepArgs, AdamStepKernel, AdamStepMultiKernel, FloatArray } from "../../fused/index.js";
import { adamStepReference } from "../../fused/adam.js";
import type { WasmRuntime } from "./runtime.js";
import { getRuntime } from "./state.js";

type Hyper = Omit<AdamStepArgs, "param" | "grad" | "m" | "v" | "vmax">;

/** adamStepF32 over n floats at px, pg, pm, pv. */
function update(rt: WasmRuntime, [px, pg, pm, pv]: readonly number[], n: number, h: Hyper): void {
  const { beta1, beta2, eps, stepSize, bc2Sqrt, decay, l2, maximize } = h;
  rt.exports.adamStepF32(px!, pg!, pm!, pv!, n, 1 - beta1, beta2, 1 - beta2, eps, stepSize, bc2Sqrt, decay, l2, maximize ? 1 : 0);
}

const isF32 = (a: FloatArray): a is Float32Array => a instanceof Float32Array;
/** Floats per `adamStepMulti` call (2 MB over the four arrays), unless one parameter is larger. */
const CHUNK = 1 << 17;

export const adamStep: AdamStepKernel = (args) => {
  const { param, grad, m, v, vmax } = args;
  const n = param.length;
  if (!isF32(param) || !isF32(grad) || !isF32(m) || !isF32(v) || vmax !== null || n === 0) {
    adamStepReference(args);
    return;
  }
  const rt = getRuntime();
  const at = rt.layout([4 * n, 4 * n, 4 * n, 4 * n]);
  const f32 = rt.f32;
  [param, grad, m, v].forEach((a, i) => f32.set(a, at[i]! >> 2));
  update(rt, at, n, args);
  for (const [a, i] of [[param, 0], [m, 2], [v, 3]] as const) a.set(f32.subarray(at[i]! >> 2, (at[i]! >> 2) + n));
};

export const adamStepMulti: AdamStepMultiKernel = (args) => {
  const { params, grads, ms, vs, vmaxes, ...hyper } = args;
  const all32 = vmaxes === null && params.every((p, i) => isF32(p) && isF32(grads[i]!) && isF32(ms[i]!) && isF32(vs[i]!));
  if (!all32) {
    for (let i = 0; i < params.length; i++) adamStep({ ...hyper, param: params[i]!, grad: grads[i]!, m: ms[i]!, v: vs[i]!, vmax: vmaxes?.[i] ?? null });
    return;
  }
  const rt = getRuntime();
  const lists = [params, grads, ms, vs];
  // consecutive parameters in chunks of up to CHUNK floats (a larger one alone), so that each
  // call's arrays are still in cache between the copy in, the update and the copy out
  for (let i = 0; i < params.length; ) {
    let [j, n] = [i, 0];
    while (j < params.length && (j === i || n + params[j]!.length <= CHUNK)) n += params[j++]!.length;
    if (n > 0) {
      const at = rt.layout([4 * n, 4 * n, 4 * n, 4 * n]);
      const f32 = rt.f32;
      for (let k = 0; k < 4; k++) {
        let o = at[k]! >> 2;
        for (let p = i; p < j; p++) {
          f32.set(lists[k]![p]!, o);
          o += params[p]!.length;
        }
      }
      update(rt, at, n, hyper);
      for (const k of [0, 2, 3]) {
        let o = at[k]! >> 2;
        for (let p = i; p < j; p++) {
          const a = lists[k]![p]!;
          a.set(f32.subarray(o, o + a.length));
          o += a.length;
        }
      }
    }
    i = j;
  }
};
