import { run } from "../../dispatch.js";
import { broadcastShapes, formatShape } from "../../shape.js";
import { checkOptions, expectBoolean, type OptionKeys } from "../../options.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

export interface MatmulOptions {
  /** Use a's last two dimensions transposed (a is stored [..., K, M]); no copy is made. */
  transA?: boolean;
  /** Use b's last two dimensions transposed (b is stored [..., N, K]); no copy is made. */
  transB?: boolean;
}

const MATMUL_KEYS: OptionKeys<MatmulOptions> = { transA: true, transB: true };

/**
 * Matrix product with torch.matmul semantics: 1-d × 1-d is a dot product (rank 0); a 1-d
 * `a` is treated as [1, K] and a 1-d `b` as [K, 1], and the added dimension is removed;
 * leading (batch) dimensions broadcast. `transA` / `transB` transpose the last two
 * dimensions of a ≥2-d operand without copying (as in attention's Q·Kᵀ).
 *
 * @example
 * const [B, H, L, S, D] = [2, 4, 5, 5, 8];
 * const scores = matmul(q, k, { transB: true });   // q [B,H,L,D] × k [B,H,S,D] → [B,H,L,S]
 * matmul(tensor([1, 2]), tensor([3, 4])).item();   // 11
 */
export function matmul(a: Tensor, b: Tensor, options?: MatmulOptions): Tensor {
  expectTensor("matmul", a, "a");
  expectTensor("matmul", b, "b");
  const { transA = false, transB = false } = checkOptions("matmul", options, MATMUL_KEYS);
  expectBoolean("matmul", "transA", transA);
  expectBoolean("matmul", "transB", transB);
  const shapes = `(a: ${formatShape(a.shape)}, b: ${formatShape(b.shape)}${transA ? ", transA" : ""}${transB ? ", transB" : ""})`;
  if (a.rank === 0 || b.rank === 0) throw new Error(`matmul: both arguments must be at least 1-d ${shapes}`);
  if ((transA && a.rank < 2) || (transB && b.rank < 2)) {
    throw new Error(`matmul: transA/transB apply to operands with at least 2 dimensions ${shapes}`);
  }
  if (a.dtype !== b.dtype || a.dtype === "bool") {
    throw new Error(`matmul: operands must share a numeric dtype, got '${a.dtype}' and '${b.dtype}' ${shapes}`);
  }
  const a2 = a.rank === 1 ? run("reshape", [a], { shape: [1, a.shape[0]!] }) : a;
  const b2 = b.rank === 1 ? run("reshape", [b], { shape: [b.shape[0]!, 1] }) : b;
  const ka = transA ? a2.shape[a2.rank - 2]! : a2.shape[a2.rank - 1]!;
  const kb = transB ? b2.shape[b2.rank - 1]! : b2.shape[b2.rank - 2]!;
  if (ka !== kb) throw new Error(`matmul: inner dimensions ${ka} and ${kb} do not match ${shapes}`);
  const [batchA, batchB] = [a2.shape.slice(0, -2), b2.shape.slice(0, -2)];
  let batch: number[];
  try {
    batch = broadcastShapes("matmul", batchA, batchB);
  } catch {
    throw new Error(`matmul: batch dimensions ${formatShape(batchA)} and ${formatShape(batchB)} cannot be broadcast together ${shapes}`);
  }
  const out = run("matmul", [a2, b2], { transA, transB });
  if (a.rank > 1 && b.rank > 1) return out;
  const M = a.rank === 1 ? [] : [out.shape[out.rank - 2]!];
  const N = b.rank === 1 ? [] : [out.shape[out.rank - 1]!];
  return run("reshape", [out], { shape: [...batch, ...M, ...N] });
}
