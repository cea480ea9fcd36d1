import { UsageError } from "../errors.js";
import { parseNumbers } from "./common-data.js";

/** The monthly series a forecaster reads: ISO dates, values (ppm) and its window W. */
export interface Series {
  times: readonly string[];
  values: ArrayLike<number>;
  window: number;
}

/** Forecasts at most this many months past the end of the data (each step feeds on the previous ones). */
export const MAX_AHEAD = 120;

interface Resolved {
  /** The W values (ppm, oldest first) the first forecast step reads. */
  window: number[];
  /** Forecast steps: 1 = the month right after the window. */
  ahead: number;
  describe: (ppm: number) => string;
}

function monthIndex(ym: string): number {
  return Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
}

/**
 * What `heed predict <checkpoint> <input>` means for the forecaster:
 * - a month `YYYY-MM` inside the data: the one-step forecast from the W months before it, with the measurement;
 * - a month after the data: forecast step by step from the last W measured months (at most MAX_AHEAD);
 * - W or more numbers (ppm, oldest first): the month after the last of them.
 */
export function resolveInput(input: string, data: Series): Resolved {
  const W = data.window;
  const text = input.trim();
  const date = /^(\d{4})-(\d{2})(-\d{2})?$/.exec(text);
  if (date === null) {
    const values = parseNumbers("forecast", text);
    if (values.length < W) throw new UsageError(`forecast: give a month (YYYY-MM) or at least ${W} monthly values in ppm, oldest first; got ${values.length} value${values.length === 1 ? "" : "s"}`);
    return { window: values.slice(-W), ahead: 1, describe: (p) => `next month: ${p.toFixed(2)} ppm` };
  }
  const ym = `${date[1]}-${date[2]}`;
  const month = Number(date[2]);
  if (month < 1 || month > 12) throw new UsageError(`forecast: '${text}' is not a month (expected YYYY-MM)`);
  const first = data.times[0]!.slice(0, 7);
  const lastYm = data.times.at(-1)!.slice(0, 7);
  const idx = data.times.findIndex((t) => t.startsWith(ym));
  if (idx >= W) {
    const measured = Number(data.values[idx]);
    return { window: Array.from({ length: W }, (_, t) => Number(data.values[idx - W + t])), ahead: 1, describe: (p) => `${ym}: ${p.toFixed(2)} ppm (measured ${measured.toFixed(2)})` };
  }
  const ahead = monthIndex(ym) - monthIndex(lastYm);
  if (idx < 0 && ahead > 0) {
    if (ahead > MAX_AHEAD) throw new UsageError(`forecast: ${ym} is ${ahead} months after the data (which ends ${lastYm}); at most ${MAX_AHEAD} months ahead`);
    const n = data.values.length;
    return {
      window: Array.from({ length: W }, (_, t) => Number(data.values[n - W + t])),
      ahead,
      describe: (p) => `${ym}: ${p.toFixed(2)} ppm (forecast ${ahead} month${ahead === 1 ? "" : "s"} past the data, which ends ${lastYm})`,
    };
  }
  throw new UsageError(`forecast: no forecast for ${ym}: the data (${first} to ${lastYm}) has no measurement that month or fewer than ${W} months before it`);
}

/** The forecast text for one input, rolling the window forward `ahead` times. */
export function forecastInput(input: string, data: Series, predict: (windowPpm: readonly number[]) => number): string {
  const r = resolveInput(input, data);
  let window = r.window;
  let p = Number.NaN;
  for (let step = 0; step < r.ahead; step++) {
    p = predict(window);
    window = [...window.slice(1), p];
  }
  return r.describe(p);
}
