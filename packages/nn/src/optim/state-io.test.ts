import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Parameter } from "../module/parameter.js";
import { parseSafetensors, serializeSafetensors } from "../safetensors/index.js";
import { Adam, AdamW } from "./adam.js";
import type { Optimizer } from "./optimizer.js";
import { SGD } from "./sgd.js";
import { packOptimizerState, unpackOptimizerState } from "./state-io.js";

type Make = (params: Parameter[]) => Optimizer<{ lr: number }>;

function params(): Parameter[] {
  return [new Parameter(tensor([[0.3, -1.2, 2.5], [0.01, 4, -0.7]])), new Parameter(tensor([1.5, -0.25]))];
}

/** A gradient that depends on the parameters and on the step, so the state matters. */
function setGrads(ps: Parameter[], step: number): void {
  for (const p of ps) p.grad = tensor([...p.data].map((x, i) => Math.sin(3 * x + i + step) + 0.1 * x), p.shape);
}

function train(ps: Parameter[], opt: Optimizer<{ lr: number }>, from: number, to: number): void {
  for (let s = from; s < to; s++) {
    setGrads(ps, s);
    opt.step();
  }
}

const makers: [string, Make][] = [
  ["Adam amsgrad", (ps) => new Adam(ps, { lr: 0.03, amsgrad: true, weightDecay: 0.01 })],
  ["AdamW", (ps) => new AdamW([{ params: [ps[0]!] }, { params: [ps[1]!], lr: 0.1 }], { lr: 0.02 })],
  ["SGD nesterov", (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
];

describe("optimizer state save/restore", () => {
  it.each(makers)("%s continues bit for bit after a round trip through safetensors + JSON", (_name, make) => {
    const straight = params();
    const optA = make(straight);
    train(straight, optA, 0, 10);

    const first = params();
    const optB = make(first);
    train(first, optB, 0, 5);
    const { tensors, metadata } = packOptimizerState(optB.stateDict());
    const bytes = serializeSafetensors(tensors, metadata);
    const modelBytes = serializeSafetensors(Object.fromEntries(first.map((p, i) => [`p${i}`, p])));

    // a fresh process: new parameters loaded from the checkpoint, a new optimizer
    const resumed = params();
    const loadedModel = parseSafetensors(modelBytes).tensors;
    resumed.forEach((p, i) => p.data.set(loadedModel.get(`p${i}`)!.data));
    const optC = make(resumed);
    const file = parseSafetensors(bytes);
    optC.loadStateDict(unpackOptimizerState(file.tensors, file.metadata));
    train(resumed, optC, 5, 10);

    resumed.forEach((p, i) => expect([...p.data]).toEqual([...straight[i]!.data]));
  });

  it("stateDict is a snapshot and uses PyTorch's state names", () => {
    const ps = params();
    const opt = new Adam(ps, { amsgrad: true });
    train(ps, opt, 0, 2);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state["0"]!)).toEqual(["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]);
    expect(sd.state["1"]!.step).toBe(2);
    expect(sd.paramGroups).toEqual([{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [0, 1] }]);
    const saved = [...(sd.state["0"]!.exp_avg as { data: Float32Array }).data];
    train(ps, opt, 2, 3);
    expect([...(sd.state["0"]!.exp_avg as { data: Float32Array }).data]).toEqual(saved);
  });

  it("restores hyperparameters such as a scheduled lr", () => {
    const a = new SGD(params(), { lr: 0.1 });
    a.lr = 0.025;
    const b = new SGD(params(), { lr: 0.1 });
    b.loadStateDict(a.stateDict());
    expect(b.lr).toBe(0.025);
  });

  it("rejects a state that does not fit the optimizer", () => {
    const ps = params();
    const a = new Adam(ps);
    train(ps, a, 0, 1);
    const one = new Adam([new Parameter(tensor([1]))]);
    expect(() => one.loadStateDict(a.stateDict())).toThrow(/Adam.loadStateDict: group 0 has 2 parameters in the checkpoint, 1 in the optimizer/);
    const other = new Adam([new Parameter(tensor([1, 2])), new Parameter(tensor([1, 2]))]);
    expect(() => other.loadStateDict(a.stateDict())).toThrow(/state 'exp_avg' of parameter 0 has shape \[2,3\], parameter has \[2\]/);
    expect(() => unpackOptimizerState(new Map(), {})).toThrow(/unpackOptimizerState: metadata has no 'heed.optimizer' entry/);
  });
});
