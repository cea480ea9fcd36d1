import { matmul, Tensor } from "@heed/tensor-core";
import { SEASON } from "./forecast-baseline.js";

/** The classical fit behind the structural forecast: a polynomial trend plus annual harmonics. */
export interface StructuralFit {
  /** Degree of the trend polynomial (1: linear, 2: quadratic). */
  degree: number;
  /** Pairs of annual harmonics (cos, sin of 2πk·t/season for k = 1 … harmonics). */
  harmonics: number;
  season?: number;
}

/** Quadratic trend + 2 annual harmonics over the whole window (chosen on the validation split; apps/cli/RECIPES.md). */
export const STRUCTURAL_FIT: StructuralFit = { degree: 2, harmonics: 2 };

/** The fit's regressors at time t (months relative to the forecast month, which is t = 0; `scale` keeps the powers near 1). */
function regressors(t: number, scale: number, { degree, harmonics, season = SEASON }: StructuralFit): number[] {
  const row: number[] = [];
  for (let d = 0; d <= degree; d++) row.push((t / scale) ** d);
  for (let k = 1; k <= harmonics; k++) row.push(Math.cos((2 * Math.PI * k * t) / season), Math.sin((2 * Math.PI * k * t) / season));
  return row;
}

/** Solves the symmetric positive definite system A·c = b (Gaussian elimination with partial pivoting). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r]![col]!) > Math.abs(M[p]![col]!)) p = r;
    [M[col], M[p]] = [M[p]!, M[col]!];
    const pivot = M[col]![col]!;
    if (Math.abs(pivot) < 1e-12) throw new Error(`structuralWeights: the fit's normal equations are singular (pivot ${pivot} in column ${col})`);
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = M[r]![col]! / pivot;
      for (let c = col; c <= n; c++) M[r]![c]! -= f * M[col]![c]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/**
 * The structural one-step forecast as weights w over a window of W values (oldest first): the
 * least-squares fit of `fit` (trend + annual harmonics) to the window, extrapolated one month past
 * its end, is Σ wₜ·xₜ — a fixed linear map, because the regressors depend on the positions only.
 * The weights sum to 1 (the fit has an intercept), so the forecast of a window shifted by c moves
 * by c, and a window relative to its last value gives the forecast relative to that value.
 *
 * @example
 * const w = structuralWeights(24, { degree: 1, harmonics: 0 });
 * // Σ w[t]·t over t = 0 … 23 is 24: a straight line continues one step
 */
export function structuralWeights(window: number, fit: StructuralFit = STRUCTURAL_FIT): Float64Array {
  const p = fit.degree + 1 + 2 * fit.harmonics;
  if (!Number.isInteger(fit.degree) || fit.degree < 0 || !Number.isInteger(fit.harmonics) || fit.harmonics < 0 || !Number.isInteger(window) || window <= p) {
    throw new Error(`structuralWeights: expected a window longer than the fit's ${p} regressors (integer degree and harmonics ≥ 0), got window ${window}, degree ${fit.degree}, harmonics ${fit.harmonics}`);
  }
  const F = Array.from({ length: window }, (_, i) => regressors(i - window, window, fit));
  const a = regressors(0, window, fit);
  // w = F (FᵀF)⁻¹ a: the row a of the forecast month projected through the fit
  const FtF = Array.from({ length: p }, (_, r) => Array.from({ length: p }, (__, c) => F.reduce((s, row) => s + row[r]! * row[c]!, 0)));
  const c = solve(FtF, a);
  return Float64Array.from(F, (row) => row.reduce((s, v, k) => s + v * c[k]!, 0));
}

/** The structural forecast of each window: x [B, W] → [B, 1] (a matmul with constant weights, so ONNX export records it). */
export function structuralForecast(x: Tensor, weights: Float64Array): Tensor {
  const W = x.shape[1]!;
  if (x.shape.length !== 2 || W !== weights.length) throw new Error(`structuralForecast: expected windows [B, ${weights.length}], got shape [${x.shape.join(", ")}]`);
  return matmul(x, new Tensor(Float32Array.from(weights), [W, 1], x.dtype));
}
