/** Months in a season of the CO2 series. */
export const SEASON = 12;

/**
 * Seasonal naive with last year's drift: the value one season before the target plus the
 * change over the last season, ŷₜ = yₜ₋₁₂ + (yₜ₋₁ − yₜ₋₁₃). For a monthly series with a trend
 * (such as Mauna Loa CO2) it is the strong simple baseline: the plain seasonal naive forecast
 * yₜ₋₁₂ misses a whole year of growth. `window` holds the values before the target, oldest
 * first (at least `season + 1` of them).
 *
 * @example
 * seasonalDrift([1, 2, 3, 4, 5], 2); // y₋₂ + (y₋₁ − y₋₃) = 4 + (5 − 3) = 6
 */
export function seasonalDrift(window: ArrayLike<number>, season = SEASON): number {
  const W = window.length;
  if (!Number.isInteger(season) || season < 1 || W < season + 1) {
    throw new Error(`seasonalDrift: expected a window of at least season + 1 values, got ${W} values with season ${season}`);
  }
  return window[W - season]! + (window[W - 1]! - window[W - season - 1]!);
}

/** The plain seasonal naive forecast ŷₜ = yₜ₋ₛ (the weak baseline). */
export function seasonalNaive(window: ArrayLike<number>, season = SEASON): number {
  const W = window.length;
  if (!Number.isInteger(season) || season < 1 || W < season) {
    throw new Error(`seasonalNaive: expected a window of at least season values, got ${W} values with season ${season}`);
  }
  return window[W - season]!;
}
