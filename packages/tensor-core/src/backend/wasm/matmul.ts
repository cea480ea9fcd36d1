/**
 * float32 matmul on WebAssembly SIMD (assembly/gemm.ts): a[..., M, K] (stored [..., K, M]
 * when transA) × b[..., K, N] (stored [..., N, K] when transB), batch dims broadcast.
 * Transposes become packing strides, so they cost the same as plain operands. When b has
 * no batch (a linear layer) and a is not transposed, the batch folds into M: one GEMM.
 * Work is cut into tasks (batches, or row / column blocks) that a thread pool may share.
 * Other dtypes use the reference kernel.
 */
import { broadcastShapes, sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";
import { referenceKernel } from "../registry.js";
import { MAX_TASKS, type WasmRuntime } from "./runtime.js";
import { getRuntime } from "./state.js";

const OP_GEMM = 1;
const OP_GEMM_BATCH = 5;
/** Batch tasks per thread (whole products; claimed dynamically, so a slow thread takes fewer). */
const BATCH_TASKS = 4;
/** Parts per thread when products are split by rows or columns (each part repacks one operand). */
const SPLIT_TASKS = 1;
/** Below this many flops a product runs on one thread (waking a worker costs ~30 µs; measured: 2 MFLOP lost). */
const PARALLEL_FLOPS = 1 << 23;

/** Element offsets of each output batch's matrix in a and b (broadcast batch dims read offset 0). */
export function batchOffsets(batchA: readonly number[], batchB: readonly number[], outBatch: readonly number[], sizeA: number, sizeB: number): [Int32Array, Int32Array] {
  const n = sizeOf(outBatch);
  const offA = new Int32Array(n);
  const offB = new Int32Array(n);
  const sa = stridesOf(batchA);
  const sb = stridesOf(batchB);
  const la = outBatch.length - batchA.length;
  const lb = outBatch.length - batchB.length;
  const idx = new Array<number>(outBatch.length).fill(0);
  for (let i = 0; i < n; i++) {
    let oa = 0;
    let ob = 0;
    for (let d = 0; d < outBatch.length; d++) {
      const k = idx[d]!;
      if (d >= la && batchA[d - la] !== 1) oa += k * sa[d - la]!;
      if (d >= lb && batchB[d - lb] !== 1) ob += k * sb[d - lb]!;
    }
    offA[i] = oa * sizeA;
    offB[i] = ob * sizeB;
    for (let d = outBatch.length - 1; d >= 0; d--) {
      if (++idx[d]! < outBatch[d]!) break;
      idx[d] = 0;
    }
  }
  return [offA, offB];
}

/** The common step of offsets 0, s, 2s, … (s may be 0: a broadcast operand), or null. */
function uniformStep(off: Int32Array): number | null {
  if (off.length === 1) return 0;
  const s = off[1]! - off[0]!;
  if (off[0] !== 0) return null;
  for (let i = 2; i < off.length; i++) if (off[i] !== i * s) return null;
  return s;
}

interface Gemm { M: number; N: number; K: number; transA: boolean; transB: boolean; pa: number; pb: number; pc: number }

/**
 * Fill the task table and run it. One thread: a single OP_GEMM_BATCH task when the batch
 * offsets are uniform (no per-product JS work), else one OP_GEMM per product. Threads:
 * whole products per task when there are enough of them, else each product split into
 * parts by columns (when N ≥ M: every part packs its own slice of B and all of A) or by
 * rows (every part packs all of B), so that B is not repacked by many small tasks.
 */
function runGemms(rt: WasmRuntime, g: Gemm, offA: Int32Array, offB: Int32Array): void {
  const { M, N, K, transA, transB } = g;
  const batches = offA.length;
  const threads = rt.threads > 1 && 2 * M * N * K * batches >= PARALLEL_FLOPS ? rt.threads : 1;
  const parallel = threads > 1;
  const [rsA, csA] = transA ? [1, M] : [K, 1];
  const [rsB, csB] = transB ? [1, K] : [N, 1];
  const sA = uniformStep(offA);
  const sB = uniformStep(offB);
  let t = 0;
  const push = (words: number[]): void => {
    rt.setTask(t++, words);
    if (t === MAX_TASKS) {
      rt.runTasks(t, parallel);
      t = 0;
    }
  };
  if (sA !== null && sB !== null && (batches >= BATCH_TASKS * threads || (!parallel && batches > 1))) {
    const tasks = parallel ? BATCH_TASKS * threads : 1;
    for (let i = 0; i < tasks; i++) {
      const [b0, b1] = [Math.floor((i * batches) / tasks), Math.floor(((i + 1) * batches) / tasks)];
      push([OP_GEMM_BATCH, b1 - b0, M, N, K, g.pa + 4 * b0 * sA, rsA, csA, sA, g.pb + 4 * b0 * sB, rsB, csB, sB, g.pc + 4 * b0 * M * N, N, M * N]);
    }
  } else {
    // parts per product: at least SPLIT_TASKS · threads tasks in all
    const parts = parallel ? Math.ceil((SPLIT_TASKS * threads) / batches) : 1;
    const byCols = N >= M;
    const [dim, unit] = byCols ? [N, 8] : [M, 4];
    const step = Math.max(unit, Math.ceil(dim / parts / unit) * unit);
    for (let i = 0; i < batches; i++) {
      const [a, b, c] = [g.pa + 4 * offA[i]!, g.pb + 4 * offB[i]!, g.pc + 4 * i * M * N];
      for (let x = 0; x < dim; x += step) {
        const w = Math.min(step, dim - x);
        // word 12 (accumulate) is written: a record may hold a longer task's words from an earlier call
        if (byCols) push([OP_GEMM, M, w, K, a, rsA, csA, b + 4 * x * csB, rsB, csB, c + 4 * x, N, 0]);
        else push([OP_GEMM, w, N, K, a + 4 * x * rsA, rsA, csA, b, rsB, csB, c + 4 * x * N, N, 0]);
      }
    }
  }
  if (t > 0) rt.runTasks(t, parallel);
}

export const matmul: KernelTable["matmul"] = (inputs, attrs) => {
  const [a, b] = inputs as [Tensor, Tensor];
  if (a.dtype !== "float32" || b.dtype !== "float32") return referenceKernel("matmul")(inputs, attrs);
  const { transA, transB } = attrs;
  const ra = a.rank;
  const rb = b.rank;
  let M = transA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const K = transA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const N = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batchA = a.shape.slice(0, ra - 2);
  const batchB = b.shape.slice(0, rb - 2);
  const outBatch = broadcastShapes("matmul", batchA, batchB);
  const shape = [...outBatch, M, N];
  const size = sizeOf(shape);
  if (size === 0 || K === 0) return referenceKernel("matmul")(inputs, attrs);
  let offA: Int32Array;
  let offB: Int32Array;
  if (sizeOf(batchB) === 1 && !transA) {
    M *= sizeOf(outBatch); // fold the batch of a into its rows: one GEMM
    [offA, offB] = [new Int32Array(1), new Int32Array(1)];
  } else {
    [offA, offB] = batchOffsets(batchA, batchB, outBatch, M * K, K * N);
  }
  const rt = getRuntime();
  const pa = rt.reserve(4 * (a.size + b.size + size) + 128);
  const pb = pa + 4 * a.size + 64 - ((4 * a.size) % 64);
  const pc = pb + 4 * b.size + 64 - ((4 * b.size) % 64);
  const f32 = rt.f32;
  f32.set(a.data, pa >> 2);
  f32.set(b.data, pb >> 2);
  runGemms(rt, { M, N, K, transA, transB, pa, pb, pc }, offA, offB);
  return new Tensor(rt.read(pc, size), shape, "float32");
};
