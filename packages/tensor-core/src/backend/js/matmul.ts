/**
 * Batched matmul: a[..., M, K] (stored [..., K, M] when transA) × b[..., K, N] (stored
 * [..., N, K] when transB) → out[..., M, N], batch dimensions broadcast. Inputs are at
 * least 2-d and share a dtype (the public op reshapes 1-d operands and validates).
 * Each batch runs the blocked GEMM of matmul-gemm.ts into a float64 accumulator (ROWS
 * output rows at a time), which is then stored in the output dtype.
 */
import { allocate, type DataArray } from "../../dtype.js";
import { broadcastShapes, sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";
import { gemm, type MatView } from "./matmul-gemm.js";
import { walk } from "./movement-walk.js";

/** Per-dimension strides of a batch shape read under broadcasting into `outBatch` (0 where broadcast). */
function batchStrides(batch: readonly number[], outBatch: readonly number[], matSize: number): number[] {
  const lead = outBatch.length - batch.length;
  const strides = stridesOf(batch).map((s) => s * matSize);
  return outBatch.map((_, d) => (d < lead || batch[d - lead] === 1 ? 0 : strides[d - lead]!));
}

/** Rows of the output computed per GEMM call: bounds the float64 accumulator (ROWS × N). */
const ROWS = 128;

/** out[o + i·N + j] = Σ_k A(i, k) B(k, j) for M rows, in chunks of ROWS rows (A.offset is advanced). */
function product(M: number, N: number, K: number, A: MatView, B: MatView, out: DataArray, o: number): void {
  const acc = new Float64Array(Math.min(M, ROWS) * N);
  const base = A.offset;
  for (let r0 = 0; r0 < M; r0 += ROWS) {
    const rows = Math.min(ROWS, M - r0);
    const part = rows === ROWS ? acc : acc.subarray(0, rows * N);
    part.fill(0);
    A.offset = base + r0 * A.rs;
    gemm(rows, N, K, A, B, part);
    out.set(part, o + r0 * N);
  }
}

const matmul: KernelTable["matmul"] = ([a, b], { transA, transB }) => {
  const x = a!;
  const y = b!;
  const ra = x.rank;
  const rb = y.rank;
  const [M, K] = transA ? [x.shape[ra - 1]!, x.shape[ra - 2]!] : [x.shape[ra - 2]!, x.shape[ra - 1]!];
  const N = transB ? y.shape[rb - 2]! : y.shape[rb - 1]!;
  const batchA = x.shape.slice(0, ra - 2);
  const batchB = y.shape.slice(0, rb - 2);
  const outBatch = broadcastShapes("matmul", batchA, batchB);
  const shape = [...outBatch, M, N];
  const out = allocate(x.dtype, sizeOf(shape));
  if (out.length === 0) return new Tensor(out, shape, x.dtype);
  const A: MatView = { data: x.data, offset: 0, rs: transA ? 1 : K, cs: transA ? M : 1 };
  const B: MatView = { data: y.data, offset: 0, rs: transB ? 1 : N, cs: transB ? K : 1 };
  const count = sizeOf(outBatch);
  if (!transA && sizeOf(batchB) === 1 && sizeOf(batchA) === count) {
    // One shared b (e.g. x[B, L, E] × w[E, F]): the batches of a are consecutive rows of one [count·M, K] matrix.
    product(count * M, N, K, A, B, out, 0);
    return new Tensor(out, shape, x.dtype);
  }
  let o = 0;
  walk(outBatch, batchStrides(batchA, outBatch, M * K), batchStrides(batchB, outBatch, K * N), (ia, ib) => {
    A.offset = ia;
    B.offset = ib;
    product(M, N, K, A, B, out, o);
    o += M * N;
  });
  return new Tensor(out, shape, x.dtype);
};

export const matmulKernels: Pick<KernelTable, "matmul"> = { matmul };
