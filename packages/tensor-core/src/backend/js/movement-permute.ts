/**
 * permute: out.shape[i] = x.shape[perm[i]]. The permutation is first simplified: size-1
 * dimensions are dropped and input dimensions that stay adjacent in the output are
 * merged (so [B,L,H,D]→[B,H,L,D] is a 4-d copy of D-long runs and a batched transpose is
 * [N, M, K]→[N, K, M]). Then either
 *  - the last output dimension is contiguous in the input: copy runs, or
 *  - it is not: transpose 32×32 tiles between the output's last dimension and the output
 *    dimension that is contiguous in the input.
 * The outer dimensions are walked with an odometer (no per-element division).
 */
import { allocate, type DataArray } from "../../dtype.js";
import { stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { KernelTable } from "../backend.js";
import { walk } from "./movement-walk.js";

const TILE = 32;

/** Drop size-1 dims and merge runs of input dims that remain consecutive in the output. */
function simplify(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keep = perm.filter((p) => shape[p] !== 1);
  const groups: number[][] = [];
  for (const p of keep) {
    const g = groups[groups.length - 1];
    if (g !== undefined && g[g.length - 1]! + 1 === p) g.push(p);
    else groups.push([p]);
  }
  // Input order of the groups gives the merged input shape; output order gives the perm.
  const byInput = groups.slice().sort((a, b) => a[0]! - b[0]!);
  const mergedShape = byInput.map((g) => g.reduce((n, p) => n * shape[p]!, 1));
  const perm2 = groups.map((g) => byInput.indexOf(g));
  return { shape: mergedShape, perm: perm2 };
}

/**
 * `m` runs of `run` elements from src[i0 + r·si] to out[o + r·run]. Module-level (not inside the
 * per-call walk closure): V8 keeps type feedback per closure, so a loop in a fresh closure
 * would start unoptimised on every call.
 */
function copyRuns(out: DataArray, o: number, src: DataArray, i0: number, si: number, m: number, run: number): void {
  for (let r = 0, i = i0; r < m; r++, i += si) for (let k = 0; k < run; k++) out[o++] = src[i + k]!;
}

/** The tiled transpose's inner loops (module-level for the same reason as copyRuns). */
function transposeTile(out: DataArray, o0: number, src: DataArray, i0: number, rows: number, cols: number, sIn: number, sOut: number): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let c = c0; c < c1; c++) {
        const ib = i0 + c * sIn;
        const ob = o0 + c;
        for (let r = r0; r < r1; r++) out[ob + r * sOut] = src[ib + r]!;
      }
    }
  }
}

export const permuteKernel: KernelTable["permute"] = ([x], { perm }) => {
  const t = x!;
  const outShape = perm.map((p) => t.shape[p]!);
  const out = allocate(t.dtype, t.size);
  const src = t.data;
  const { shape, perm: p } = simplify(t.shape, perm);
  const n = shape.length;
  if (n <= 1 || p.every((v, i) => v === i)) {
    out.set(src);
    return new Tensor(out, outShape, t.dtype);
  }
  const inStrides = stridesOf(shape);
  const oShape = p.map((q) => shape[q]!);
  const oStrides = stridesOf(oShape);
  const oInStr = p.map((q) => inStrides[q]!);
  if (p[n - 1] === n - 1) {
    // Runs of `run` contiguous elements in both input and output; the last two output dims
    // are copied by plain loops (a head split [B,L,H,D]→[B,H,L,D] has short runs of D).
    const run = oShape[n - 1]!;
    const m = oShape[n - 2]!;
    const si = oInStr[n - 2]!;
    walk(oShape.slice(0, n - 2), oInStr.slice(0, n - 2), oStrides.slice(0, n - 2), (i0, o) => copyRuns(out, o, src, i0, si, m, run));
    return new Tensor(out, outShape, t.dtype);
  }
  // Tiled 2-d transpose between output dim j (input-contiguous) and the last output dim.
  const j = p.indexOf(n - 1);
  const rows = oShape[j]!; // output dim j: stride 1 in the input, oStrides[j] in the output
  const cols = oShape[n - 1]!; // last output dim: stride 1 in the output, sIn in the input
  const sIn = oInStr[n - 1]!;
  const sOut = oStrides[j]!;
  const outer = oShape.map((_, d) => d).filter((d) => d !== j && d !== n - 1);
  walk(outer.map((d) => oShape[d]!), outer.map((d) => oInStr[d]!), outer.map((d) => oStrides[d]!), (i0, o0) => transposeTile(out, o0, src, i0, rows, cols, sIn, sOut));
  return new Tensor(out, outShape, t.dtype);
};
