/**
 * float32 matmul on WebAssembly SIMD (assembly/matmul.ts): a[..., M, K] (stored [..., K, M]
 * when transA) × b[..., K, N] (stored [..., N, K] when transB), batch dims broadcast.
 * Transposes become packing strides, so they cost the same as plain operands. When b has
 * no batch (a linear layer) and a is not transposed, the batch folds into M: one GEMM.
 * Work is cut into tasks (batches, or row / column blocks) that a thread pool may share.
 * Other dtypes use the reference kernel.
 */
import { broadcastShapes, sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";
import type { LinearArgs, LinearForwardKernel } from "../../fused/index.js";
import { linearForwardReference } from "../../fused/linear.js";
import { referenceKernels } from "../js/index.js";
import { OP_GEMM, OP_GEMM_BATCH } from "./abi.js";
import { MAX_TASKS, type WasmRuntime } from "./runtime.js";
import { getRuntime } from "./state.js";

/** Batch tasks per thread (whole products; claimed dynamically, so a slow thread takes fewer). */
const BATCH_TASKS = 4;
/** Below this many flops a product runs on one thread (waking a worker costs ~30 µs; measured: 2 MFLOP lost). */
const PARALLEL_FLOPS = 1 << 23;
/** Row parts per thread when one product is split by rows (each of at least MIN_ROWS rows, in whole register panels). */
const ROW_PARTS = 4;
const MIN_ROWS = 96;

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

/**
 * Element step between consecutive output batches in an operand with batch dims `batch`:
 * 0 when it is broadcast whole, its matrix size when it has every output batch, else null
 * (partial broadcasting: offsets from batchOffsets).
 */
function uniformStep(batch: readonly number[], outBatch: readonly number[], size: number): number | null {
  const n = sizeOf(batch);
  if (n === 1) return 0;
  return n === sizeOf(outBatch) ? size : null;
}

/** C (at pc) = A (at pa) · B (at pb), byte addresses; `bias` (N floats, 0: none) is added to every row of C after the product. */
export interface Gemm { M: number; N: number; K: number; transA: boolean; transB: boolean; pa: number; pb: number; pc: number; bias?: number }
/** `count` products; a_i at element offset i·sA (or offA[i] when sA is null), likewise b. */
export interface Batch { count: number; sA: number | null; sB: number | null; offA: Int32Array | null; offB: Int32Array | null }

/**
 * The task records of a product (or batch of products) on `threads` threads. One thread: a
 * single OP_GEMM_BATCH task when the batch offsets are uniform (no per-product JS work), else
 * one OP_GEMM per product. Threads: batch tasks when there are at least BATCH_TASKS products
 * per thread; else one task per product when they share out evenly, or each product split: by
 * columns when N ≥ M, one part per thread (every part packs its own slice of B and all of A), or
 * else by rows, up to ROW_PARTS parts per thread of at least MIN_ROWS rows (every part packs
 * all of B, the smaller operand), so that a thread that starts late still gets its share. Row
 * parts hold whole register panels (`panel` rows: 6 with relaxed SIMD, else 4) shared out
 * evenly, so no part is more than one panel longer than another. Each output element is
 * computed the same way whichever part has it: the bits do not depend on the split.
 */
export function gemmTasks(g: Gemm, batch: Batch, threads: number, panel: number): number[][] {
  const { M, N, K, transA, transB } = g;
  const { count: batches, sA, sB } = batch;
  const parallel = threads > 1;
  const [rsA, csA] = transA ? [1, M] : [K, 1];
  const [rsB, csB] = transB ? [1, K] : [N, 1];
  const bias = g.bias ?? 0;
  const tasks: number[][] = [];
  if (bias === 0 && sA !== null && sB !== null && (batches >= BATCH_TASKS * threads || (!parallel && batches > 1))) {
    const count = parallel ? BATCH_TASKS * threads : 1;
    for (let i = 0; i < count; i++) {
      const [b0, b1] = [Math.floor((i * batches) / count), Math.floor(((i + 1) * batches) / count)];
      tasks.push([OP_GEMM_BATCH, b1 - b0, M, N, K, g.pa + 4 * b0 * sA, rsA, csA, sA, g.pb + 4 * b0 * sB, rsB, csB, sB, g.pc + 4 * b0 * M * N, N, M * N]);
    }
    return tasks;
  }
  const byCols = N >= M;
  const parts = !parallel || batches % threads === 0 ? 1 : byCols ? threads : Math.min(ROW_PARTS * threads, Math.max(threads, Math.floor(M / MIN_ROWS)));
  // part boundaries: whole units (8-column panels, or `panel`-row panels) shared out evenly
  const unit = byCols ? 8 : panel;
  const units = Math.ceil((byCols ? N : M) / unit);
  const edges = Array.from({ length: parts + 1 }, (_, i) => Math.min(byCols ? N : M, Math.floor((i * units) / parts) * unit));
  for (let i = 0; i < batches; i++) {
    const oa = sA !== null ? i * sA : batch.offA![i]!;
    const ob = sB !== null ? i * sB : batch.offB![i]!;
    const [a, b, c] = [g.pa + 4 * oa, g.pb + 4 * ob, g.pc + 4 * i * M * N];
    for (let p = 0; p < parts; p++) {
      const [x, w] = [edges[p]!, edges[p + 1]! - edges[p]!];
      if (w === 0) continue;
      // words 12 (accumulate) and 13 (bias) are written: a record may hold a longer task's words from an earlier call
      if (byCols) tasks.push([OP_GEMM, M, w, K, a, rsA, csA, b + 4 * x * csB, rsB, csB, c + 4 * x, N, 0, bias === 0 ? 0 : bias + 4 * x]);
      else tasks.push([OP_GEMM, w, N, K, a + 4 * x * rsA, rsA, csA, b, rsB, csB, c + 4 * x * N, N, 0, bias]);
    }
  }
  return tasks;
}

/** Threads a product of `flops` runs on: the pool's from PARALLEL_FLOPS, else 1. */
export function gemmThreads(rt: WasmRuntime, flops: number): number {
  return rt.threads > 1 && flops >= PARALLEL_FLOPS ? rt.threads : 1;
}

/** Rows of the GEMM's register panel in this build (6×8 micro-kernel with relaxed SIMD, else 4×8). */
export function gemmPanel(rt: WasmRuntime): number {
  return rt.relaxed ? 6 : 4;
}

/** Write `tasks` into the table and run them (MAX_TASKS at a time), on the pool when `parallel`. */
export function runTaskList(rt: WasmRuntime, tasks: readonly (readonly number[])[], parallel: boolean): void {
  for (let at = 0; at < tasks.length; at += MAX_TASKS) {
    const n = Math.min(MAX_TASKS, tasks.length - at);
    for (let t = 0; t < n; t++) rt.setTask(t, tasks[at + t]!);
    rt.runTasks(n, parallel);
  }
}

/** Fill the task table with the product's tasks (`gemmTasks`) and run it. */
export function runGemms(rt: WasmRuntime, g: Gemm, batch: Batch): void {
  const threads = gemmThreads(rt, 2 * g.M * g.N * g.K * batch.count);
  runTaskList(rt, gemmTasks(g, batch, threads, gemmPanel(rt)), threads > 1);
}

export const matmul: KernelTable["matmul"] = (inputs, attrs) => {
  const [a, b] = inputs as [Tensor, Tensor];
  if (a.dtype !== "float32" || b.dtype !== "float32") return referenceKernels.matmul(inputs, attrs);
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
  if (size === 0 || K === 0) return referenceKernels.matmul(inputs, attrs);
  let batch: Batch;
  if (sizeOf(batchB) === 1 && !transA) {
    M *= sizeOf(outBatch); // fold the batch of a into its rows: one GEMM
    batch = { count: 1, sA: 0, sB: 0, offA: null, offB: null };
  } else {
    const [sA, sB] = [uniformStep(batchA, outBatch, M * K), uniformStep(batchB, outBatch, K * N)];
    const [offA, offB] = sA === null || sB === null ? batchOffsets(batchA, batchB, outBatch, M * K, K * N) : [null, null];
    batch = { count: sizeOf(outBatch), sA: offA === null ? sA : null, sB: offB === null ? sB : null, offA, offB };
  }
  const rt = getRuntime();
  const pa = rt.reserve(4 * (a.size + b.size + size) + 128);
  const pb = pa + 4 * a.size + 64 - ((4 * a.size) % 64);
  const pc = pb + 4 * b.size + 64 - ((4 * b.size) % 64);
  const f32 = rt.f32;
  f32.set(a.data, pa >> 2);
  f32.set(b.data, pb >> 2);
  rt.allocateDuringTasks(size);
  runGemms(rt, { M, N, K, transA, transB, pa, pb, pc }, batch);
  return new Tensor(rt.read(pc, size), shape, "float32");
};

/**
 * x·Wᵀ + b computed into scratch memory (the bias added there); returns the output's address.
 * Float32 operands, rows·out > 0 and in > 0 only (callers check).
 */
export function linearInMemory(rt: WasmRuntime, args: LinearArgs<Float32Array>, extra = 0): { pc: number; extra: number } {
  const { x, weight, bias, rows, inFeatures: K, outFeatures: N } = args;
  const size = rows * N;
  const [pa, pb, pc, pbias, pextra] = rt.layout([4 * x.length, 4 * weight.length, 4 * size, 4 * N, extra]) as [number, number, number, number, number];
  const f32 = rt.f32;
  f32.set(x, pa >> 2);
  f32.set(weight, pb >> 2);
  if (bias !== null) f32.set(bias, pbias >> 2);
  // the bias is added by each task to its part of the output (on the thread that computed it)
  runGemms(rt, { M: rows, N, K, transA: false, transB: true, pa, pb, pc, bias: bias === null ? 0 : pbias }, { count: 1, sA: 0, sB: 0, offA: null, offB: null });
  return { pc, extra: pextra };
}

/** Whether linearInMemory takes these operands. */
export function linearFits(args: LinearArgs): args is LinearArgs<Float32Array> {
  const { x, weight, bias, rows, inFeatures, outFeatures } = args;
  return x instanceof Float32Array && weight instanceof Float32Array && (bias === null || bias instanceof Float32Array) && rows * outFeatures > 0 && inFeatures > 0;
}

/** The fused `linearForward` kernel: x·Wᵀ by the GEMM, the bias added in wasm memory before the copy out. */
export const linearForward: LinearForwardKernel = (args) => {
  if (!linearFits(args)) return linearForwardReference(args);
  const rt = getRuntime();
  rt.allocateDuringTasks(args.rows * args.outFeatures);
  return rt.read(linearInMemory(rt, args).pc, args.rows * args.outFeatures) as typeof args.x;
};
