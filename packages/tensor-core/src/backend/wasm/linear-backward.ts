/**
 * The fused `linearBackward` kernel (fused/linear-backward.ts) on WebAssembly SIMD: G is copied
 * into wasm memory once for dx = G·W, dW = Gᵀ·x (the GEMMs of `matmul`, split over threads the
 * same way) and db = Σ_rows G (the `sum` kernel's column sums); each result is copied out.
 * The same bits as the three separate kernels. Other dtypes use the reference.
 */
import { linearBackwardReference, type LinearBackwardKernel, type LinearBackwardResult } from "../../fused/linear-backward.js";
import { runGemms, type Batch } from "./matmul.js";
import { getRuntime } from "./state.js";

const ONE: Batch = { count: 1, sA: 0, sB: 0, offA: null, offB: null };

export const linearBackward: LinearBackwardKernel = (args) => {
  const { gradOut, x, weight, rows, inFeatures: I, outFeatures: O, wantDx, wantDw, wantDb } = args;
  const f32 = gradOut instanceof Float32Array && (!wantDw || x instanceof Float32Array) && (!wantDx || weight instanceof Float32Array);
  if (!f32 || rows * O * I === 0) return linearBackwardReference(args);
  const rt = getRuntime();
  const [pg, px, pw, pdx, pdw, pdb, pacc] = rt.layout([
    4 * gradOut.length, wantDw ? 4 * x.length : 0, wantDx ? 4 * weight.length : 0,
    wantDx ? 4 * rows * I : 0, wantDw ? 4 * O * I : 0, wantDb ? 4 * O : 0, wantDb ? 8 * O : 0,
  ]) as [number, number, number, number, number, number, number];
  const mem = rt.f32;
  mem.set(gradOut, pg >> 2);
  if (wantDw) mem.set(x, px >> 2);
  if (wantDx) mem.set(weight, pw >> 2);
  let dx: Float32Array | null = null;
  let dw: Float32Array | null = null;
  let db: Float32Array | null = null;
  if (wantDx) {
    rt.allocateDuringTasks(rows * I);
    runGemms(rt, { M: rows, N: I, K: O, transA: false, transB: false, pa: pg, pb: pw, pc: pdx }, ONE);
    dx = rt.read(pdx, rows * I);
  }
  if (wantDw) {
    rt.allocateDuringTasks(O * I);
    runGemms(rt, { M: O, N: I, K: rows, transA: true, transB: false, pa: pg, pb: px, pc: pdw }, ONE);
    dw = rt.read(pdw, O * I);
  }
  if (wantDb) {
    rt.exports.sumF32(pg, pdb, 1, rows, O, pacc);
    db = rt.read(pdb, O);
  }
  return { dx, dw, db } as unknown as LinearBackwardResult<typeof gradOut>;
};
