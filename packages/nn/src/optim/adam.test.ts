import { fusedKernelFor, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Parameter } from "../module/parameter.js";
import { Adam, AdamW, type AdamOptions } from "./adam.js";

/** torch.optim.Adam / AdamW as documented (the algorithm box), in float64 on plain arrays. */
function referenceAdam(theta0: number[], grads: (theta: number[]) => number[], steps: number, o: AdamOptions, decoupled: boolean): number[][] {
  const theta = [...theta0];
  const m = theta.map(() => 0);
  const v = theta.map(() => 0);
  const vmax = theta.map(() => 0);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const g0 = grads(theta);
    for (let i = 0; i < theta.length; i++) {
      let g = o.maximize ? -g0[i]! : g0[i]!;
      if (decoupled) theta[i] = theta[i]! * (1 - o.lr * o.weightDecay);
      else if (o.weightDecay !== 0) g += o.weightDecay * theta[i]!;
      m[i] = o.betas[0] * m[i]! + (1 - o.betas[0]) * g;
      v[i] = o.betas[1] * v[i]! + (1 - o.betas[1]) * g * g;
      const mHat = m[i]! / (1 - o.betas[0] ** t);
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      const vHat = (o.amsgrad ? vmax[i]! : v[i]!) / (1 - o.betas[1] ** t);
      theta[i] = theta[i]! - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
    }
    out.push([...theta]);
  }
  return out;
}

// gradient of f(θ) = Σ (θ_i − c_i)² + 0.1·θ_i³: non-constant, so the trajectory matters
const C = [0.5, -1, 2, 0];
const gradOf = (theta: number[]): number[] => theta.map((x, i) => 2 * (x - C[i]!) + 0.3 * x * x);

function run(make: (p: Parameter) => Adam, theta0: number[], steps: number, dtype: "float32" | "float64" = "float64"): number[][] {
  const p = new Parameter(tensor(theta0, undefined, dtype));
  const opt = make(p);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    p.grad = tensor(gradOf([...p.data]), undefined, dtype);
    opt.step();
    out.push([...p.data]);
  }
  return out;
}

const theta0 = [1, -2, 0.25, 3];
const base: AdamOptions = { lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

describe("Adam", () => {
  it("moves each parameter by about lr·sign(g) on the first step (bias correction)", () => {
    const p = new Parameter(tensor([1, -1, 5]));
    const opt = new Adam([p], { lr: 0.1 });
    p.grad = tensor([2, -3e-3, 1e4]);
    opt.step();
    // θ − lr·g/(|g| + eps): exactly lr when |g| ≫ eps, slightly less for a tiny gradient
    // (to float32 rounding: the wasm kernel computes in float32, the reference in float64)
    const want = [0.9, -1 + (0.1 * 3e-3) / (3e-3 + 1e-8), 4.9];
    p.data.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-6 * Math.abs(want[i]!)));
  });

  const variants: [string, Partial<AdamOptions>][] = [
    ["defaults", {}],
    ["L2 weight decay", { weightDecay: 0.1 }],
    ["amsgrad", { amsgrad: true, betas: [0.8, 0.9] }],
    ["maximize", { maximize: true, lr: 0.01 }],
    ["all options", { weightDecay: 0.05, amsgrad: true, maximize: true, eps: 1e-3, betas: [0.5, 0.6] }],
  ];
  it.each(variants)("follows torch's trajectory over 8 steps: %s", (_n, o) => {
    const opts = { ...base, ...o };
    const got = run((p) => new Adam([p], opts), theta0, 8);
    const want = referenceAdam(theta0, gradOf, 8, opts, false);
    got.forEach((row, t) => row.forEach((x, i) => expect(x).toBeCloseTo(want[t]![i]!, 12)));
  });

  it("matches the float64 reference within float32 rounding for float32 parameters", () => {
    const got = run((p) => new Adam([p], { ...base, amsgrad: true, weightDecay: 0.01 }), theta0, 20, "float32");
    const want = referenceAdam(theta0, gradOf, 20, { ...base, amsgrad: true, weightDecay: 0.01 }, false);
    got.forEach((row, t) => row.forEach((x, i) => expect(Math.abs(x - want[t]![i]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(want[t]![i]!))));
  });

  it("skips parameters without a gradient (their step count does not advance)", () => {
    const a = new Parameter(tensor([1]));
    const b = new Parameter(tensor([1]));
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1]);
    opt.step();
    expect(b.data[0]).toBe(1);
    expect(Object.keys(opt.stateDict().state)).toEqual(["0"]);
    expect(opt.stateDict().state["0"]!.step).toBe(1);
  });

  it("updates a group in one multi-tensor call per step count, with the bits of one adamStep per parameter", () => {
    // float32 on the default backend (wasm in Node: one SIMD call over every parameter of a step count)
    const init = [[1, -2, 0.5, 3, 4, -1, 0.25], [0.5, 2], [-3, 1, 1.5]];
    const grads = [[[0.1, -0.2, 0.3, 0.05, -1, 2, 0.5], [1, -1], [0.3, 0.2, -0.1]], [[0.2, 0.1, -0.3, 0.4, 1, -2, 0.1], [0.5, 0.5], null]];
    const ps = init.map((x) => new Parameter(tensor(x, undefined, "float32")));
    const opt = new Adam(ps, { lr: 0.01, weightDecay: 0.1 });
    // by hand: each parameter's own adamStep (steps 1, 2 for the first two; the third misses step 2, then step 2 on the third step)
    const want = init.map((x) => ({ param: Float32Array.from(x), m: new Float32Array(x.length), v: new Float32Array(x.length), t: 0 }));
    const apply = (i: number, g: number[]): void => {
      const w = want[i]!;
      w.t++;
      fusedKernelFor("adamStep")({ param: w.param, grad: Float32Array.from(g), m: w.m, v: w.v, vmax: null, beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 0.01 / (1 - 0.9 ** w.t), bc2Sqrt: Math.sqrt(1 - 0.999 ** w.t), decay: 1, l2: 0.1, maximize: false });
    };
    for (const [s, step] of [...grads, [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [0.2, 0.2], [0.3, -0.3, 0.3]]].entries()) {
      step.forEach((g, i) => {
        ps[i]!.grad = g === null ? null : tensor(g, undefined, "float32");
        if (g !== null) apply(i, g);
      });
      opt.step();
      ps.forEach((p, i) => expect(Array.from(p.data), `parameter ${i} after step ${s + 1}`).toEqual(Array.from(want[i]!.param)));
    }
    expect(Object.values(opt.stateDict().state).map((st) => st.step)).toEqual([3, 3, 2]);
  });

  it("supports parameter groups with their own hyperparameters and a settable lr", () => {
    const a = new Parameter(tensor([1]));
    const b = new Parameter(tensor([1]));
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    a.grad = tensor([1]);
    b.grad = tensor([1]);
    opt.step();
    expect(a.data[0]).toBeCloseTo(0.9, 6);
    expect(b.data[0]).toBeCloseTo(0.5, 6);
    opt.lr = 0.01;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.01]);
    expect(opt.lr).toBe(0.01);
  });

  it("validates hyperparameters and parameters", () => {
    const p = new Parameter(tensor([1]));
    expect(() => new Adam([p], { lr: -1 })).toThrow(/Adam: invalid learning rate -1/);
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(/Adam: invalid beta1 1 \(betas: \[1, 0.9\]/);
    expect(() => new Adam([p], { betas: [0.9, -0.1] })).toThrow(/invalid beta2 -0.1/);
    expect(() => new Adam([p], { eps: -1 })).toThrow(/invalid eps/);
    expect(() => new Adam([p], { weightDecay: -1 })).toThrow(/invalid weightDecay/);
    expect(() => new Adam([])).toThrow(/Adam: got an empty parameter list/);
    expect(() => new Adam([p, p])).toThrow(/appears more than once/);
    expect(() => new Adam([tensor([1], undefined, "int32")])).toThrow(/can only optimize float tensors/);
    const q = new Parameter(tensor([1, 2]));
    const opt = new Adam([q]);
    q.grad = tensor([1, 2, 3]);
    expect(() => opt.step()).toThrow(/Adam.step: gradient shape \[3\] does not match parameter shape \[2\]/);
  });
});

describe("hand-derived 3-step values (θ₀ = 1, g = 2, 1, −0.5, lr = 0.1)", () => {
  // step 2 by hand: m = 0.28, v = 0.004996, m̂ = 0.28/0.19, v̂ = 0.004996/0.001999, θ₂ = θ₁ − 0.1·m̂/(√v̂ + 1e-8)
  const steps = (opt: (p: Parameter) => Adam): number[] => {
    const p = new Parameter(tensor([1], undefined, "float64"));
    const o = opt(p);
    return [2, 1, -0.5].map((g) => {
      p.grad = tensor([g], undefined, "float64");
      o.step();
      return p.data[0]!;
    });
  };
  it("Adam", () => {
    const got = steps((p) => new Adam([p], { lr: 0.1 }));
    [0.9000000005, 0.8067820372085103, 0.7504158999804385].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 13));
  });
  it("AdamW (weightDecay 0.01)", () => {
    const got = steps((p) => new AdamW([p], { lr: 0.1 }));
    [0.8990000005, 0.8048830372080102, 0.7477120169427304].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 13));
  });
});

describe("AdamW", () => {
  it("defaults to weightDecay 1e-2 and decays decoupled from the gradient", () => {
    const p = new Parameter(tensor([2]));
    const opt = new AdamW([p], { lr: 0.1 });
    expect(opt.paramGroups[0]!.weightDecay).toBe(0.01);
    p.grad = tensor([0]);
    opt.step();
    // θ·(1 − lr·λ) and a zero Adam update: 2·(1 − 0.001)
    expect(p.data[0]).toBeCloseTo(1.998, 6);
  });

  it.each([
    ["defaults", {}],
    ["strong decay, amsgrad", { weightDecay: 0.3, amsgrad: true }],
    ["maximize", { maximize: true, weightDecay: 0.1 }],
  ] as [string, Partial<AdamOptions>][])("follows torch's trajectory over 8 steps: %s", (_n, o) => {
    const opts = { ...base, weightDecay: 0.01, ...o };
    const got = run((p) => new AdamW([p], opts), theta0, 8);
    const want = referenceAdam(theta0, gradOf, 8, opts, true);
    got.forEach((row, t) => row.forEach((x, i) => expect(x).toBeCloseTo(want[t]![i]!, 12)));
  });

  it("differs from Adam's L2 decay", () => {
    const a = run((p) => new AdamW([p], { lr: 0.1, weightDecay: 0.5 }), theta0, 3);
    const b = run((p) => new Adam([p], { lr: 0.1, weightDecay: 0.5 }), theta0, 3);
    expect(a[2]).not.toEqual(b[2]);
  });
});

describe("hyperparameters edited in paramGroups and foreign state dicts", () => {
  it("step() checks the groups first: a NaN lr set directly throws and changes no parameter", () => {
    const p = new Parameter(tensor([1, 2]));
    const opt = new Adam([p], { lr: 0.1 });
    p.grad = tensor([1, 1]);
    opt.paramGroups[0]!.lr = NaN; // bypasses the lr setter's check
    expect(() => opt.step()).toThrow("Adam.step: parameter group 0: invalid learning rate NaN (must be a finite number >= 0)");
    expect(Array.from(p.data)).toEqual([1, 2]); // was [NaN, NaN]
    opt.paramGroups[0]!.lr = 0.1;
    (opt.paramGroups[0] as unknown as { betas: unknown }).betas = [0.9];
    expect(() => opt.step()).toThrow("Adam.step: parameter group 0: betas must be a pair [beta1, beta2], got [0.9]");
    (opt.paramGroups[0] as unknown as { betas: unknown }).betas = [0.9, 0.999];
    opt.step();
    expect(p.data[0]).toBeCloseTo(0.9, 6);
  });

  it("loadStateDict refuses another optimizer's snapshot (SGD's into Adam and back)", async () => {
    const { SGD } = await import("./sgd.js");
    const a = new Parameter(tensor([1, 2]));
    const sgd = new SGD([a], { lr: 0.1, momentum: 0.9 });
    a.grad = tensor([1, 1]);
    sgd.step();
    const adam = new Adam([new Parameter(tensor([1, 2]))]);
    expect(() => adam.loadStateDict(sgd.stateDict())).toThrow(
      "Adam.loadStateDict: parameter group 0 has 'momentum', 'dampening', 'nesterov', which Adam does not have (expected lr, betas, eps, weightDecay, amsgrad, maximize) (a state dict of another optimizer?)",
    );
    const b = new Parameter(tensor([1, 2]));
    const adam2 = new Adam([b]);
    b.grad = tensor([1, 1]);
    adam2.step();
    const sgd2 = new SGD([new Parameter(tensor([1, 2]))], { lr: 0.1 });
    expect(() => sgd2.loadStateDict(adam2.stateDict())).toThrow(/^SGD\.loadStateDict: parameter group 0 has 'betas', 'eps', 'amsgrad', which SGD does not have/);
    const state = adam2.stateDict();
    state.state["0"]!.momentum_buffer = tensor([0, 0]);
    expect(() => new Adam([new Parameter(tensor([1, 2]))]).loadStateDict(state)).toThrow(
      "Adam.loadStateDict: state 'momentum_buffer' of parameter 0 is not Adam state (expected step, exp_avg, exp_avg_sq, max_exp_avg_sq) (a state dict of another optimizer?)",
    );
    // AdamW and Adam keep the same state and hyperparameters, as in PyTorch.
    const w = new AdamW([new Parameter(tensor([1, 2]))]);
    w.loadStateDict(adam2.stateDict());
    expect(w.paramGroups[0]!.weightDecay).toBe(0);
  });
});
