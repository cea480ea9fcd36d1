/**
 * float32 matmul on WebAssembly SIMD (assembly/gemm.ts): a[..., M, K] (stored [..., K, M]
 * when transA) × b[..., K, N] (stored [..., N, K] when transB), batch dims broadcast.
 * Transposes become packing strides, so they cost the same as plain operands. When b has
 * no batch (a linear layer) and a is not transposed, the batch folds into M: one GEMM.
 * Work is cut into tasks (batches × row blocks) that a thread pool may share.
 * Other dtypes use the reference kernel.
 */
import { broadcastShapes, sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";
import { referenceKernel } from "../registry.js";
import { MAX_TASKS, type WasmRuntime } from "./runtime.js";
import { getRuntime } from "./state.js";

const OP_GEMM = 1;
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

/** Rows per task: whole matrices on one thread, else enough row blocks (multiples of 4) to share. */
function rowsPerTask(M: number, batches: number, threads: number): number {
  if (threads <= 1 || batches >= 4 * threads) return M;
  const chunks = Math.ceil((4 * threads) / batches);
  return Math.max(4, Math.ceil(M / chunks / 4) * 4);
}

interface Gemm { M: number; N: number; K: number; transA: boolean; transB: boolean; pa: number; pb: number; pc: number }

function runGemms(rt: WasmRuntime, g: Gemm, offA: Int32Array, offB: Int32Array): void {
  const { M, N, K, transA, transB } = g;
  const parallel = rt.threads > 1 && 2 * M * N * K * offA.length >= PARALLEL_FLOPS;
  const step = rowsPerTask(M, offA.length, parallel ? rt.threads : 1);
  const [rsA, csA] = transA ? [1, M] : [K, 1];
  const [rsB, csB] = transB ? [1, K] : [N, 1];
  let t = 0;
  for (let i = 0; i < offA.length; i++) {
    for (let m0 = 0; m0 < M; m0 += step) {
      const a = g.pa + 4 * (offA[i]! + m0 * rsA);
      const c = g.pc + 4 * (i * M * N + m0 * N);
      rt.setTask(t++, [OP_GEMM, Math.min(step, M - m0), N, K, a, rsA, csA, g.pb + 4 * offB[i]!, rsB, csB, c, N]);
      if (t === MAX_TASKS) {
        rt.runTasks(t, parallel);
        t = 0;
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
