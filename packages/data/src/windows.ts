import { checkOptions, Tensor, type OptionKeys } from "@heed/tensor-core";

/** Inputs [N, window, 1] and targets [N, horizon] of a windowed series. */
export interface WindowedPart {
  x: Tensor;
  y: Tensor;
}

export interface WindowOptions {
  /** Input length (time steps per example). */
  window: number;
  /** Steps predicted after each window (default 1). */
  horizon?: number;
  /** Step between consecutive windows (default 1). */
  stride?: number;
  /** Share of the series, at its end, whose values are test targets (default 0.2). */
  testFraction?: number;
  /** Standardise with the training part's mean and std (default true). */
  normalize?: boolean;
}

const WINDOW_KEYS: OptionKeys<WindowOptions> = { window: true, horizon: true, stride: true, testFraction: true, normalize: true };

export interface WindowedSeries {
  train: WindowedPart;
  test: WindowedPart;
  /** Mean and (population) std of the training part; 0 and 1 when `normalize` is false. */
  mean: number;
  std: number;
  /** Index of the first series value that belongs to the test part. */
  splitIndex: number;
  /** Undo the normalisation: v·std + mean. */
  denormalize: (v: number) => number;
}

/**
 * Sliding windows over a series with a time-ordered split. The first
 * `(1 - testFraction)·n` values are the training part: every training window (inputs and
 * targets) lies inside it, and the mean/std come from it only (no look-ahead). Test
 * windows have all their targets in the test part; their inputs may reach back into the
 * training part, as a forecaster's would.
 *
 * @example
 * const s = makeWindows(values, { window: 24, horizon: 1 });
 * s.train.x.shape; // [N, 24, 1]
 */
export function makeWindows(series: ArrayLike<number>, options: WindowOptions): WindowedSeries {
  const { window, horizon = 1, stride = 1, testFraction = 0.2, normalize = true } = checkOptions("makeWindows", options, WINDOW_KEYS);
  const n = series.length;
  const settings = `window ${window}, horizon ${horizon}, stride ${stride}, testFraction ${testFraction}, series length ${n}`;
  for (const [k, v] of Object.entries({ window, horizon, stride })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`makeWindows: ${k} must be a positive integer (${settings})`);
  }
  if (!(testFraction >= 0 && testFraction < 1)) throw new Error(`makeWindows: testFraction must be in [0, 1) (${settings})`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(series[i]!)) throw new Error(`makeWindows: value ${series[i]} at index ${i} is not finite (${settings})`);
  }
  const splitIndex = Math.floor(n * (1 - testFraction));
  if (splitIndex < window + horizon) throw new Error(`makeWindows: the training part (${splitIndex} values) is shorter than one window plus horizon (${settings})`);
  let mean = 0;
  let std = 1;
  if (normalize) {
    for (let i = 0; i < splitIndex; i++) mean += series[i]!;
    mean /= splitIndex;
    let ss = 0;
    for (let i = 0; i < splitIndex; i++) ss += (series[i]! - mean) ** 2;
    std = Math.sqrt(ss / splitIndex) || 1;
  }
  const starts = (from: number, to: number): number[] => {
    const out: number[] = [];
    for (let s = from; s + window + horizon <= to; s += stride) out.push(s);
    return out;
  };
  const build = (st: number[]): WindowedPart => {
    const x = new Float32Array(st.length * window);
    const y = new Float32Array(st.length * horizon);
    st.forEach((s, k) => {
      for (let t = 0; t < window; t++) x[k * window + t] = (series[s + t]! - mean) / std;
      for (let h = 0; h < horizon; h++) y[k * horizon + h] = (series[s + window + h]! - mean) / std;
    });
    return { x: new Tensor(x, [st.length, window, 1], "float32"), y: new Tensor(y, [st.length, horizon], "float32") };
  };
  const train = build(starts(0, splitIndex));
  const test = build(starts(Math.max(0, splitIndex - window), n));
  return { train, test, mean, std, splitIndex, denormalize: (v) => v * std + mean };
}
