/**
 * The fused `linearReluDropout` / `reluDropoutBackward` kernels (src/fused/linear-relu-dropout.ts
 * contract) on WebAssembly SIMD: the GEMM and bias of `linearForward`, then the `relu` and
 * `dropout` kernels in place on the product in wasm memory, one copy out; the backward is
 * `reluGrad` against y and a multiplication by 1/(1 − p). float64 and p within 2⁻³² of 1
 * use the reference, as the `dropout` kernel does.
 */
import type { FloatArray, LinearReluDropoutKernel, ReluDropoutBackwardKernel } from "../../fused/index.js";
import { dropoutKey } from "../../fused/dropout-hash.js";
import { dropoutScale } from "../../fused/dropout.js";
import { linearReluDropoutReference, reluDropoutBackwardReference } from "../../fused/linear-relu-dropout.js";
import { EW_MUL } from "./abi.js";
import { linearFits, linearInMemory } from "./matmul.js";
import { getRuntime } from "./state.js";

/** The dropout kernel's threshold, or null where the wasm kernel cannot express p. */
function thresholdOf(p: number): number | null {
  const t = Math.ceil(p * 4294967296);
  return p < 1 && t > 0xffffffff ? null : Math.min(t, 0xffffffff);
}

export const linearReluDropout: LinearReluDropoutKernel = (args) => {
  const threshold = thresholdOf(args.p);
  if (!linearFits(args) || threshold === null) return linearReluDropoutReference(args);
  const rt = getRuntime();
  const size = args.rows * args.outFeatures;
  const { pc } = linearInMemory(rt, args);
  rt.exports.reluF32(pc, pc, size);
  if (args.p > 0) rt.exports.dropoutF32(pc, pc, size, dropoutKey(args.seed, 0), threshold, dropoutScale(args.p, args.x));
  return rt.read(pc, size) as typeof args.x;
};

export const reluDropoutBackward: ReluDropoutBackwardKernel = <A extends FloatArray>(args: { y: A; gradOut: A; p: number }): A => {
  const { y, gradOut, p } = args;
  const n = gradOut.length;
  if (!(y instanceof Float32Array) || !(gradOut instanceof Float32Array) || n === 0 || y.length !== n) return reluDropoutBackwardReference(args);
  const rt = getRuntime();
  const [pg, py, ps] = rt.layout([4 * n, 4 * n, 4]) as [number, number, number];
  const f32 = rt.f32;
  f32.set(gradOut, pg >> 2);
  f32.set(y, py >> 2);
  rt.exports.reluGradF32(pg, py, pg, n);
  const scale = p > 0 ? dropoutScale(p, gradOut) : 1;
  if (scale !== 1) {
    f32[ps >> 2] = scale;
    rt.exports.binaryF32(EW_MUL, 0, pg, ps, pg, n, 1);
  }
  return rt.read(pg, n) as A;
};
