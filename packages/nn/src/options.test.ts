import { Generator, Tensor, tensor, zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import {
  Adam, AdamW, binaryCrossEntropyWithLogits, clipGradNorm, CosineAnnealingLR, countParameters, crossEntropy, Dropout, Embedding, ExponentialLR,
  GELU, kaimingUniform_, LayerNorm, Linear, LinearLR, LogSoftmax, manualSeed, mseLoss, nllLoss, NoamLR, Sequential, SGD, Softmax, StepLR, type Module,
} from "./index.js";

const int = (v: number[]): Tensor => tensor(v, undefined, "int32");
const x = (): Tensor => tensor([[0.5, -1, 2], [1.5, 0, -0.5]]);
const linear = (): Linear => new Linear(3, 2, { rng: new Generator(0) });
const params = (): Tensor[] => linear().parameters();
/** A container whose own parameters are none and whose child's bias is frozen. */
const nested = (): Sequential => {
  const m = linear();
  m.bias!.requiresGrad = false;
  return new Sequential(m);
};
/** The first group's hyperparameters (without the tensors), as a comparable value. */
const hyper = (o: { paramGroups: { params: unknown }[] }): unknown => Object.fromEntries(Object.entries(o.paramGroups[0]!).filter(([k]) => k !== "params"));
const lrAfter = (make: (opt: SGD) => { step(): void }): number => {
  const opt = new SGD(params(), { lr: 1 });
  const s = make(opt);
  for (let i = 0; i < 3; i++) s.step();
  return opt.lr;
};
const out = (v: Tensor | Module | number): unknown => (v instanceof Tensor ? v.toArray() : typeof v === "number" ? v : (v).stateDict());
const withGrads = (): Tensor[] => {
  const ps = params();
  for (const p of ps) p.grad = tensor(Array.from({ length: p.size }, (_, i) => i - 1)).reshape(p.shape);
  return ps;
};

/**
 * [function name in the error, call with an options object, a valid non-default options object,
 * whether that object changes the result here (default true)].
 */
const CASES: [string, (o: object) => unknown, object, boolean?][] = [
  ["Adam", (o) => hyper(new Adam(params(), o)), { eps: 1e-6, betas: [0.8, 0.9] }],
  ["AdamW", (o) => hyper(new AdamW(params(), o)), { weightDecay: 0.5 }],
  ["SGD", (o) => hyper(new SGD(params(), { lr: 0.1, ...o })), { momentum: 0.9 }],
  ["Adam parameter group 0", (o) => hyper(new Adam([{ params: params(), ...o }])), { lr: 0.5 }],
  ["StepLR", (o) => lrAfter((opt) => new StepLR(opt, { stepSize: 2, ...o })), { gamma: 0.5 }],
  ["ExponentialLR", (o) => lrAfter((opt) => new ExponentialLR(opt, { gamma: 0.5, ...o })), {}],
  ["CosineAnnealingLR", (o) => lrAfter((opt) => new CosineAnnealingLR(opt, { tMax: 10, ...o })), { etaMin: 0.5 }],
  ["LinearLR", (o) => lrAfter((opt) => new LinearLR(opt, o)), { totalIters: 2 }],
  ["NoamLR", (o) => lrAfter((opt) => new NoamLR(opt, { dModel: 4, warmupSteps: 2, ...o })), { factor: 2 }],
  ["clipGradNorm", (o) => clipGradNorm(withGrads(), 1, 2, o), { errorIfNonfinite: true }, false],
  ["countParameters", (o) => countParameters(nested(), o), { trainableOnly: true }],
  ["Module.numParameters", (o) => nested().numParameters(o), { trainableOnly: true }],
  ["Module.parameters", (o) => nested().parameters(o).length, { recurse: false }],
  ["Module.buffers", (o) => new LayerNorm(3).buffers(o).length, { recurse: false }, false],
  ["Module.registerBuffer", (o) => { const m = linear(); m.registerBuffer("b", zeros([2]), o); return [...m.stateDict().keys()]; }, { persistent: false }],
  ["Linear.loadStateDict", (o) => linear().loadStateDict(linear().stateDict(), o), { strict: false }, false],
  ["mseLoss", (o) => out(mseLoss(x(), zeros([2, 3]), o)), { reduction: "sum" }],
  ["binaryCrossEntropyWithLogits", (o) => out(binaryCrossEntropyWithLogits(x(), tensor([[1, 0, 1], [1, 1, 0]]), o)), { posWeight: tensor([1, 2, 3]) }],
  ["crossEntropy", (o) => out(crossEntropy(x(), int([0, 2]), o)), { labelSmoothing: 0.1, ignoreIndex: 0 }],
  ["nllLoss", (o) => out(nllLoss(x(), int([0, 2]), o)), { reduction: "none" }],
  ["Linear", (o) => out(new Linear(3, 2, { rng: new Generator(1), ...o })), { bias: false }],
  ["LayerNorm", (o) => out(new LayerNorm(3, o)), { elementwiseAffine: false }],
  ["Embedding", (o) => out(new Embedding(4, 2, { rng: new Generator(1), ...o })), { paddingIdx: 1 }],
  ["Dropout", (o) => { manualSeed(1); return out(new Dropout(0.5, o).forward(x())); }, { rng: new Generator(2) }],
  ["GELU", (o) => out(new GELU(o).forward(x())), { approximate: "tanh" }],
  ["Softmax", (o) => out(new Softmax(o).forward(x())), { dim: 0 }],
  ["LogSoftmax", (o) => out(new LogSoftmax(o).forward(x())), { dim: 0 }],
  ["kaimingUniform_", (o) => out(kaimingUniform_(zeros([2, 3]), { rng: new Generator(1), ...o })), { mode: "fanOut" }],
];

describe("options objects of @heed/nn", () => {
  it.each(CASES)("%s rejects an unknown key, naming the function, the key and the accepted keys", (name, call) => {
    expect(() => call({ weight_decay: 0.1 })).toThrow(`${name}: unknown option 'weight_decay' (accepted options: `);
    expect(() => call({ bogus: 1 })).toThrow(new RegExp(`^${name}: unknown option 'bogus' \\(accepted options: [a-zA-Z, ]+\\)$`));
  });

  it.each(CASES)("%s treats an explicitly undefined option as its default", (_name, call, valid, changes = true) => {
    const undef = Object.fromEntries(Object.keys(valid).map((k) => [k, undefined]));
    expect(call(undef)).toEqual(call({}));
    if (changes && Object.keys(valid).length > 0) expect(call(valid)).not.toEqual(call({})); // the option is not ignored either
  });

  it("new Adam(ps, { eps: undefined, betas: undefined }) takes the defaults; a PyTorch name gets a hint", () => {
    const opt = new Adam(params(), { eps: undefined, betas: undefined });
    expect(hyper(opt)).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(() => new Adam(params(), { weight_decay: 0.1 } as never)).toThrow("Adam: unknown option 'weight_decay' (accepted options: lr, betas, eps, weightDecay, amsgrad, maximize) — did you mean 'weightDecay'?");
    expect(() => new Adam(params(), { betas: 0.9 } as never)).toThrow("Adam: betas must be a pair [beta1, beta2], got 0.9");
    expect(() => new SGD(params(), {} as never)).toThrow("SGD: the learning rate 'lr' is required");
    expect(() => new Adam([{ params: 3 }] as never)).toThrow("Adam parameter group 0: 'params' must be a list of tensors");
  });
});
