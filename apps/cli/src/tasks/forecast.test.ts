import { noGrad } from "@heed/autograd";
import { makeWindows } from "@heed/data";
import { loadTimeSeries } from "@heed/datasets/node";
import { Generator, type Tensor } from "@heed/tensor-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../checkpoint.js";
import type { TrainConfig } from "../config.js";
import type { TaskDefinition } from "../task.js";
import { train } from "../train.js";
import { UsageError } from "../errors.js";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { forecastInput, resolveInput, type Series } from "./forecast-input.js";
import { forecastFrame, forecastRows, forecastScaling, forecastTask, forecastTaskOf, MAX_ORIGIN, MEMBERS, REFIT_BLEND, trainingWindows, VALID_WINDOWS, type ForecastScaling } from "./forecast.js";

const tiny = configOf(forecastTask, { dModel: 8, heads: 2, batchSize: 16 });

describe("forecastRows", () => {
  it("makes inputs and targets relative to the window's last value, with the seasonal naive + drift forecast in original units", () => {
    const values = Array.from({ length: 60 }, (_, i) => 300 + i + 3 * Math.sin((2 * Math.PI * i) / 12));
    const w = makeWindows(values, { window: 24 });
    const s = { window: 24, mean: w.mean, std: w.std, step: 0.5 };
    const rows = forecastRows(w.train, s);
    const k = 3; // window k reads values k..k+23 and predicts value k+24
    const last = (values[k + 23]! - w.mean) / w.std;
    expect(rows.x.data[k * 24 + 23]).toBe(0);
    expect(rows.x.data[k * 24]).toBeCloseTo(((values[k]! - w.mean) / w.std - last) / 0.5, 5);
    expect(rows.y.data[k]).toBeCloseTo(((values[k + 24]! - w.mean) / w.std - last) / 0.5, 5);
    expect(rows.actual[k]).toBeCloseTo(values[k + 24]!, 3);
    // target k+24: y[k+12] + (y[k+23] - y[k+11])
    expect(rows.drift[k]).toBeCloseTo(values[k + 12]! + values[k + 23]! - values[k + 11]!, 3);
  });
});

describe("forecast inputs", () => {
  const data: Series = { times: Array.from({ length: 30 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}-01`), values: Array.from({ length: 30 }, (_, i) => 100 + i), window: 24 };
  const lastPlusOne = (w: readonly number[]): number => w.at(-1)! + 1;

  it("a month inside the data reads the W months before it and shows the measurement", () => {
    const r = resolveInput("2002-01", data);
    expect(r.window).toEqual(Array.from({ length: 24 }, (_, i) => 100 + i));
    expect(forecastInput("2002-01", data, lastPlusOne)).toBe("2002-01: 124.00 ppm (measured 124.00)");
  });

  it("a month after the data is forecast step by step", () => {
    expect(forecastInput("2002-09", data, lastPlusOne)).toBe("2002-09: 132.00 ppm (forecast 3 months past the data, which ends 2002-06)");
  });

  it("W or more numbers forecast the month after the last one", () => {
    const text = Array.from({ length: 26 }, (_, i) => String(i)).join(" ");
    expect(forecastInput(text, data, lastPlusOne)).toBe("next month: 26.00 ppm");
  });

  it("refuses months without W earlier months, too far ahead, and short or invalid number lists", () => {
    expect(() => resolveInput("2000-06", data)).toThrow(UsageError);
    expect(() => resolveInput("2030-01", data)).toThrow(/at most 120 months/);
    expect(() => resolveInput("2002-13", data)).toThrow(/not a month/);
    expect(() => resolveInput("1 2 3", data)).toThrow(/at least 24 monthly values/);
    expect(() => resolveInput("1 2 x", data)).toThrow(/'x'/);
  });
});

describe("trainingWindows (--refit and the hold-out check)", () => {
  it("runs through the validation windows with withValid and stops the latest holdOut windows earlier", () => {
    expect(trainingWindows(520, 48, {})).toBe(520);
    expect(trainingWindows(520, 48, { withValid: true })).toBe(568);
    expect(trainingWindows(520, 48, { holdOut: 48 })).toBe(472);
    expect(() => trainingWindows(520, 48, { withValid: true, holdOut: 48 })).toThrow("forecast: the training data takes withValid or holdOut, not both");
    expect(() => trainingWindows(520, 48, { holdOut: 520 })).toThrow("forecast: holdOut must be an integer from 0 to 519 (the training windows minus one), got 520");
  });

  it("phase 2 of --refit trains on the validation months' windows; the test months never", () => {
    const targets = (data: { withValid?: boolean; holdOut?: number }) => {
      const rt = forecastTask.create(tiny, new Generator(1), undefined, data);
      const ys = rt.batches(1).flatMap((b) => Array.from((b as { y: { data: Float32Array } }).y.data));
      return { rt, ys: ys.sort((a, b) => a - b) };
    };
    const { rt, ys } = targets({ withValid: true });
    expect(rt.trainSize).toBe(568);
    // the rows of every window before the test months, validation months included, in the model's units
    const w = makeWindows(loadTimeSeries("co2").values, { window: 24 });
    const scaling = (rt.vocab() as { scaling: ForecastScaling }).scaling;
    const expected = (n: number) => Array.from(forecastRows(w.train, scaling, 0, n).y.data).sort((a, b) => a - b);
    expect(ys).toEqual(expected(568));
    expect(targets({}).ys).toEqual(expected(520));
    expect(targets({ holdOut: 48 }).ys).toEqual(expected(472));
    expect(noGrad(() => rt.evaluate("valid", 0)).metrics.months).toBe(48);
  });
});

describe("forecastFrame (rolling-origin selection)", () => {
  const N = 568; // the CO2 training part's windows: training + validation
  const W = 24;
  const split = makeWindows(loadTimeSeries("co2").values, { window: W }).splitIndex; // the first test month
  it("gives disjoint, time-ordered training / validation / judged windows that never reach the test months", () => {
    expect(split).toBe(N + W);
    expect(forecastFrame(N, 0)).toEqual({ train: [0, 520], valid: [520, 568], judged: null });
    const judged = new Set<number>();
    for (let k = 1; k <= MAX_ORIGIN; k++) {
      const f = forecastFrame(N, k);
      const [[t0, t1], [v0, v1], [j0, j1]] = [f.train, f.valid, f.judged!];
      expect([t0, t1 === v0, v1 === j0, j1 - j0, v1 - v0]).toEqual([0, true, true, VALID_WINDOWS, VALID_WINDOWS]);
      expect(t1).toBeGreaterThan(0);
      // window i predicts month i + W: every month a frame trains on, validates on or is judged on lies before the test months
      expect(j1 - 1 + W).toBeLessThan(split);
      for (let i = j0; i < j1; i++) judged.add(i);
    }
    // the four origins judge 4 × 48 distinct months, the latest of them the user's validation months
    expect(judged.size).toBe(MAX_ORIGIN * VALID_WINDOWS);
    expect(Math.max(...judged)).toBe(N - 1);
    expect(() => forecastFrame(N, 10)).toThrow(/forecastFrame: origin must be an integer from 0 to 9 for 568 training windows, got 10/);
    expect(() => forecastFrame(N, 1.5)).toThrow(UsageError);
  });

  it("runs each origin with its splits in that frame and a scaling read from its months only", () => {
    const values = loadTimeSeries("co2").values;
    const plain = forecastTask.create(tiny, new Generator(1));
    for (const k of [1, 4]) {
      const task = forecastTaskOf({ structural: false, origin: k });
      const f = forecastFrame(N, k);
      const phase1 = task.create(tiny, new Generator(1));
      const phase2 = task.create(tiny, new Generator(1), undefined, { withValid: true });
      expect([phase1.trainSize, phase2.trainSize, phase1.testSize]).toEqual([f.train[1], f.valid[1], 48]);
      const scaling = (phase1.vocab() as { scaling: ForecastScaling }).scaling;
      expect(scaling).toEqual(forecastScaling(values, W, f.valid[1] + W));
      // the judged months do not enter it: changing them (and every later month) changes nothing
      const changed = Float64Array.from(values, (v, t) => (t >= f.valid[1] + W ? v + 100 : v));
      expect(forecastScaling(changed, W, f.valid[1] + W)).toEqual(scaling);
      // a checkpoint written in the frame reloads with its own scaling and reads the same months
      const again = task.create(tiny, new Generator(2), phase1.vocab());
      again.model.loadStateDict(phase1.model.stateDict(), { strict: true });
      expect(noGrad(() => again.evaluate("test", 0))).toEqual(noGrad(() => phase1.evaluate("test", 0)));
    }
    // origin 1's judged months are the user's validation months (the drift baseline reads the same values)
    const inner = noGrad(() => forecastTaskOf({ structural: false, origin: 1 }).create(tiny, new Generator(1)).evaluate("test", 0)).metrics;
    expect(inner.driftMae).toBeCloseTo(noGrad(() => plain.evaluate("valid", 0)).metrics.driftMae!, 4);
  });

  it("computes origin 0's scaling as the user's run does", () => {
    const plain = (forecastTask.create(tiny, new Generator(1)).vocab() as { scaling: ForecastScaling }).scaling;
    const s = forecastScaling(loadTimeSeries("co2").values, 24, 592);
    expect(s.mean).toBeCloseTo(plain.mean, 4);
    expect(s.std).toBeCloseTo(plain.std, 4);
    expect(s.step).toBeCloseTo(plain.step, 4);
  });
});

describe("forecast task", () => {
  it("splits CO2 by time, evaluates in ppm next to the seasonal naive + drift baseline", () => {
    const rt = forecastTask.create(tiny, new Generator(1));
    expect(rt.trainSize).toBe(568 - 48);
    expect(rt.testSize).toBe(149);
    const ev = noGrad(() => rt.evaluate("test", 0));
    expect(Object.keys(ev.metrics).sort()).toEqual(["driftMae", "driftRmse", "mae", "months", "rmse"]);
    expect(ev.metrics.months).toBe(149);
    // the drift baseline on the 149 test months, computed from the raw series
    const { values } = loadTimeSeries("co2");
    const split = values.length - 149;
    let mae = 0;
    for (let t = split; t < values.length; t++) mae += Math.abs(values[t - 12]! + values[t - 1]! - values[t - 13]! - values[t]!);
    expect(ev.metrics.driftMae).toBeCloseTo(mae / 149, 4);
    expect(noGrad(() => rt.evaluate("valid", 10)).metrics.months).toBe(10);
    expect(rt.formatMetrics(ev.metrics)).toMatch(/^MAE: \d+\.\d{3} ppm, RMSE: \d+\.\d{3} ppm \(seasonal naive \+ drift baseline: MAE \d+\.\d{3}, RMSE \d+\.\d{3}\)$/);
  });

  it("learns: 150 steps halve the test loss", () => {
    const untrained = trainSteps(forecastTask, tiny, 0).rt;
    const before = noGrad(() => untrained.evaluate("test", 0));
    const { rt } = trainSteps(forecastTask, { ...tiny, lr: 5e-3 }, 150);
    const ev = noGrad(() => rt.evaluate("test", 0));
    expect(ev.loss).toBeLessThan(before.loss / 2);
    expect(ev.metrics.mae).toBeLessThan(before.metrics.mae! / 2);
  });

  it("is deterministic and rebuilds an identical model from vocab.json", () => {
    const a = trainSteps(forecastTask, tiny, 3);
    expect(trainSteps(forecastTask, tiny, 3).losses).toEqual(a.losses);
    const again = reload(forecastTask, tiny, a.rt);
    const inputs = ["2019-05", "2020-08"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => a.rt.predict(inputs)));
    const maps = noGrad(() => again.attention!("2019-05"));
    expect(maps.rows).toHaveLength(24);
    expect(maps.panels).toHaveLength(2 + 1); // 2 heads of the residual layer + the pooling weights
  });

  it("saves the seasonal-difference input in vocab.json; a checkpoint without it (written before) loads without it", () => {
    const rt = forecastTask.create(tiny, new Generator(1));
    const vocab = JSON.parse(JSON.stringify(rt.vocab())) as Record<string, unknown>;
    expect(vocab.seasonalDiff).toBe(true);
    expect([...rt.model.stateDict().keys()].some((k) => k.endsWith(".seasonal.weight"))).toBe(true);
    delete vocab.seasonalDiff;
    const old = forecastTask.create(tiny, new Generator(1), vocab);
    expect([...old.model.stateDict().keys()].some((k) => k.includes("seasonal"))).toBe(false);
    expect(old.vocab()).not.toHaveProperty("seasonalDiff");
  });

  it("saves the structural token in vocab.json and rebuilds it from there; the default and older checkpoints have none", () => {
    const structural = forecastTaskOf({ structural: true });
    const a = trainSteps(structural, tiny, 3);
    const vocab = JSON.parse(JSON.stringify(a.rt.vocab())) as Record<string, unknown>;
    expect(vocab.structural).toBe(true);
    // the default task rebuilds a structural checkpoint from its vocab.json
    const again = reload(forecastTask, tiny, a.rt);
    expect(noGrad(() => again.predict(["2019-05"]))).toEqual(noGrad(() => a.rt.predict(["2019-05"])));
    expect(noGrad(() => again.attention!("2019-05")).rows.at(-1)).toBe("t (fit)");
    expect(forecastTask.create(tiny, new Generator(1)).vocab()).not.toHaveProperty("structural");
    delete vocab.structural;
    expect(noGrad(() => structural.create(tiny, new Generator(1), vocab).attention!("2019-05")).rows).toHaveLength(24);
  });

  it("refuses the seed-only feature attention", () => {
    expect(() => forecastTask.create({ ...tiny, attention: "feature" }, new Generator(1))).toThrow(UsageError);
  });
});

describe("--refit on keeps phase 1's best/ (REFIT_BLEND)", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const quiet = { emit: () => {}, close: () => {} };
  const runIn = async (def: TaskDefinition): Promise<string> => {
    const out = mkdtempSync(join(tmpdir(), "heed-forecast-blend-"));
    dirs.push(out);
    await train(def, { ...tiny, epochs: 2, patience: 0, refit: true } satisfies TrainConfig, { out, resume: null, reporter: quiet });
    return out;
  };
  const restore = (dir: string) => {
    const ckpt = loadCheckpoint(dir);
    const rt = forecastTask.create(ckpt.config, new Generator(1), ckpt.vocab);
    rt.model.loadStateDict(ckpt.model, { strict: true });
    rt.model.eval();
    return { ckpt, rt };
  };

  it("best/ holds phase 2's members, trained as without the kept ones, then phase 1's, unchanged: its forecast is the mean of both", async () => {
    expect(REFIT_BLEND).toBe(true);
    expect(forecastTask.refitKeepsPhase1).toBe(true);
    const blended = await runIn(forecastTask);
    const alone = await runIn(forecastTaskOf({ structural: false, refitBlend: false }));
    const best = restore(blended);
    const phase1 = restore(join(blended, "valid-best"));
    const refit = restore(alone);
    expect([(best.ckpt.vocab as { members: number }).members, (refit.ckpt.vocab as { members: number }).members]).toEqual([2 * MEMBERS, MEMBERS]);
    for (const [key, t] of best.ckpt.model) {
      const i = Number(/^members\.(\d+)\./.exec(key)![1]);
      const rest = key.replace(/^members\.\d+\./, "");
      // members 0–4: phase 2's, the same weights as the refit alone; 5–9: phase 1's best/
      const other = i < MEMBERS ? refit.ckpt.model.get(key)! : phase1.ckpt.model.get(`members.${i - MEMBERS}.${rest}`)!;
      expect(Array.from(t.data)).toEqual(Array.from(other.data));
    }
    const x = forecastRows(makeWindows(loadTimeSeries("co2").values, { window: 24 }).test, (best.ckpt.vocab as { scaling: ForecastScaling }).scaling, 0, 6).x;
    const [b, p, r] = noGrad(() => [best, phase1, refit].map(({ rt }) => (rt.model as unknown as { forward(x: Tensor): Tensor }).forward(x).data)) as [Float32Array, Float32Array, Float32Array];
    for (let i = 0; i < 6; i++) expect(b[i]).toBeCloseTo((p[i]! + r[i]!) / 2, 5);
  });
});
