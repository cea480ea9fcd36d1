/**
 * Batched matmul: a[..., M, K] (stored [..., K, M] when transA) × b[..., K, N] (stored
 * [..., N, K] when transB) → out[..., M, N], batch dimensions broadcast. Inputs are at
 * least 2-d and share a dtype (the public op reshapes 1-d operands and validates).
 * Each batch runs the blocked GEMM of matmul-gemm.ts into a float64 accumulator, which
 * is then stored in the output dtype.
 */
import { allocate } from "../../dtype.js";
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
  const acc = new Float64Array(M * N);
  let o = 0;
  walk(outBatch, batchStrides(batchA, outBatch, M * K), batchStrides(batchB, outBatch, K * N), (ia, ib) => {
    A.offset = ia;
    B.offset = ib;
    if (o > 0) acc.fill(0);
    gemm(M, N, K, A, B, acc);
    out.set(acc, o);
    o += M * N;
  });
  return new Tensor(out, shape, x.dtype);
};

export const matmulKernels: Pick<KernelTable, "matmul"> = { matmul };
