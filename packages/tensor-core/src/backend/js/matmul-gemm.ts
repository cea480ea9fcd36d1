/**
 * A cache-blocked GEMM in plain TypeScript (the Goto/BLIS loop structure):
 *
 *   for jc (NC columns of B) / for pc (KC rows of K): pack B[pc:pc+KC, jc:jc+NC] into NR-wide panels
 *     for ic (MC rows of A): pack A[ic:ic+MC, pc:pc+KC] into MR-tall panels
 *       for each (MR × NR) tile: the micro-kernel keeps 4×4 accumulators in registers
 *
 * Matrices are read through (row stride, column stride) pairs, so a transposed operand
 * costs nothing beyond packing. Products accumulate in float64 (JS numbers) into `acc`.
 */

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

/** A strided matrix view: element (r, c) is data[offset + r * rs + c * cs]. */
export interface MatView {
  data: ArrayLike<number>;
  offset: number;
  rs: number;
  cs: number;
}

// Packing buffers, allocated on first use and reused by every call (JS is single-threaded).
let packA = new Float64Array(0);
let packB = new Float64Array(0);

function ensure(aLen: number, bLen: number): void {
  if (packA.length < aLen) packA = new Float64Array(aLen);
  if (packB.length < bLen) packB = new Float64Array(bLen);
}

/** Pack rows [r0, r0+mc) × cols [c0, c0+kc) of A into MR-row panels, zero-padded; p-major within a panel. */
function packPanelsA(A: MatView, r0: number, mc: number, c0: number, kc: number, dst: Float64Array): void {
  const { data, offset, rs, cs } = A;
  let d = 0;
  for (let i = 0; i < mc; i += MR) {
    const rows = Math.min(MR, mc - i);
    for (let p = 0; p < kc; p++) {
      const base = offset + (r0 + i) * rs + (c0 + p) * cs;
      for (let ii = 0; ii < MR; ii++) dst[d++] = ii < rows ? data[base + ii * rs]! : 0;
    }
  }
}

/** Pack rows [k0, k0+kc) × cols [c0, c0+nc) of B into NR-column panels, zero-padded. */
function packPanelsB(B: MatView, k0: number, kc: number, c0: number, nc: number, dst: Float64Array): void {
  const { data, offset, rs, cs } = B;
  let d = 0;
  for (let j = 0; j < nc; j += NR) {
    const cols = Math.min(NR, nc - j);
    for (let p = 0; p < kc; p++) {
      const base = offset + (k0 + p) * rs + (c0 + j) * cs;
      for (let jj = 0; jj < NR; jj++) dst[d++] = jj < cols ? data[base + jj * cs]! : 0;
    }
  }
}

/** acc[(i0+ii)·ldc + j0+jj] += Σ_p Ap[ii, p] · Bp[p, jj] for the valid rows × cols of one tile. */
function micro(kc: number, Ap: Float64Array, ai: number, Bp: Float64Array, bi: number, acc: Float64Array, c: number, ldc: number, rows: number, cols: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ai]!, a1 = Ap[ai + 1]!, a2 = Ap[ai + 2]!, a3 = Ap[ai + 3]!;
    const b0 = Bp[bi]!, b1 = Bp[bi + 1]!, b2 = Bp[bi + 2]!, b3 = Bp[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += MR;
    bi += NR;
  }
  if (rows === MR && cols === NR) {
    acc[c]! += c00; acc[c + 1]! += c01; acc[c + 2]! += c02; acc[c + 3]! += c03;
    c += ldc;
    acc[c]! += c10; acc[c + 1]! += c11; acc[c + 2]! += c12; acc[c + 3]! += c13;
    c += ldc;
    acc[c]! += c20; acc[c + 1]! += c21; acc[c + 2]! += c22; acc[c + 3]! += c23;
    c += ldc;
    acc[c]! += c30; acc[c + 1]! += c31; acc[c + 2]! += c32; acc[c + 3]! += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let ii = 0; ii < rows; ii++) {
    for (let jj = 0; jj < cols; jj++) acc[c + ii * ldc + jj]! += tile[ii * NR + jj]!;
  }
}

/** acc[M×N] (row-major, zero on entry) += A[M×K] · B[K×N]. */
export function gemm(M: number, N: number, K: number, A: MatView, B: MatView, acc: Float64Array): void {
  ensure(MC * KC, KC * (NC + NR));
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanelsB(B, pc, kc, jc, nc, packB);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanelsA(A, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = Math.min(NR, nc - jr);
          const bi = (jr / NR) * kc * NR;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = Math.min(MR, mc - ir);
            micro(kc, packA, (ir / MR) * kc * MR, packB, bi, acc, (ic + ir) * N + jc + jr, N, rows, cols);
          }
        }
      }
    }
  }
}
