import { Generator, ones, Tensor, tensor, zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import {
  Adam, AdamW, binaryCrossEntropyWithLogits, clipGradNorm, CosineAnnealingLR, crossEntropy, Dropout, Embedding, ExponentialLR, kaimingUniform_, LambdaLR, LayerNorm, layerNorm, Linear,
  constant_, countParameters, linear, xavierNormal_, xavierUniform_, LogSoftmax, mseLoss, nllLoss, NoamLR, normal_, packOptimizerState, parseSafetensors, ReLU, residualLayerNorm, Sequential, serializeSafetensors, SGD, Softmax, StepLR, uniform_, warmupCosine,
} from "./index.js";

/** Arguments of the right kind but a bad value: one error naming the function, never a silent NaN or an ignored value. */
const param = (): Tensor => ones([2]).requiresGrad_();
const logits = (): Tensor => tensor([[1, 2, 3], [0.5, -1, 2]]);
const targets = (): Tensor => tensor([0, 2], undefined, "int32");

describe("layer norm: eps", () => {
  it("a negative, NaN or non-number eps throws (a constant row would give NaN)", () => {
    expect(() => new LayerNorm(4, { eps: -1 })).toThrow("LayerNorm: eps must be a finite number >= 0, got number -1");
    expect(() => new LayerNorm(4, { eps: NaN })).toThrow("LayerNorm: eps must be a finite number >= 0, got number NaN");
    expect(() => layerNorm(ones([1, 4]), [4], null, null, -1e-5)).toThrow("layerNorm: eps must be a finite number >= 0, got number -0.00001");
    expect(() => residualLayerNorm(ones([1, 4]), ones([1, 4]), [4], null, null, NaN)).toThrow("residualLayerNorm: eps must be a finite number >= 0");
    expect(Array.from(layerNorm(ones([1, 4]), [4], null, null, 0).data)).toEqual([0, 0, 0, 0].map(() => NaN)); // eps 0 is allowed (0/0 as torch)
  });
});

describe("Dropout", () => {
  it("p must be a number in [0, 1]; PyTorch's keyword form { p } gets a hint", () => {
    expect(() => new Dropout({ p: 0.1 } as unknown as number)).toThrow("Dropout: probability p must be a number in [0, 1], got an object {p} (p is positional: new Dropout(0.1, { rng }))");
    expect(() => new Dropout("0.5" as unknown as number)).toThrow("Dropout: probability p must be a number in [0, 1], got string '0.5'");
    expect(() => new Dropout(1.5)).toThrow("Dropout: probability p must be a number in [0, 1], got number 1.5");
  });
});

describe("containers", () => {
  it("train(mode) takes a boolean (train('no') switched dropout ON with training = 'no'); apply a function; registered state Tensors", () => {
    const m = new Sequential(new Linear(2, 2, { rng: new Generator(0) }), new ReLU());
    expect(() => m.train("no" as unknown as boolean)).toThrow("Sequential.train: training mode is expected to be a boolean (as in PyTorch), got string 'no'");
    expect(m.training).toBe(true);
    expect(m.train(false).training).toBe(false);
    expect(() => m.apply(3 as unknown as () => void)).toThrow("Sequential.apply: expected a function of a module, got number 3");
    const lin = new Linear(2, 2, { rng: new Generator(0) });
    expect(() => lin.registerBuffer("mask", [1] as unknown as Tensor)).toThrow("Linear.registerBuffer: 'mask' must be a Tensor (or null), got an array [1]");
    expect(() => lin.registerParameter("scale", 2 as unknown as Tensor)).toThrow("Linear.registerParameter: 'scale' must be a Tensor (or null), got number 2");
  });

  it("Sequential and registerModule take Modules only", () => {
    expect(() => new Sequential(new ReLU(), 3 as unknown as ReLU)).toThrow("Sequential: submodule '1' must be a Module (or null), got number 3");
    expect(() => new Sequential((() => new ReLU()) as unknown as ReLU)).toThrow("Sequential: submodule '0' must be a Module (or null), got a function");
  });
});

describe("losses", () => {
  it("crossEntropy / nllLoss: ignoreIndex must be an integer, class weights float", () => {
    expect(() => crossEntropy(logits(), targets(), { ignoreIndex: 0.5 })).toThrow("crossEntropy: ignoreIndex must be an integer (PyTorch's default is -100), got number 0.5");
    expect(() => nllLoss(logits(), targets(), { ignoreIndex: NaN })).toThrow("nllLoss: ignoreIndex must be an integer");
    expect(() => crossEntropy(logits(), targets(), { weight: ones([3], "int32") })).toThrow("crossEntropy: weight must be a float tensor (float32 or float64), got dtype 'int32' (input: [2,3])");
    expect(() => crossEntropy(logits(), targets(), { weight: [1, 1, 1] as unknown as Tensor })).toThrow("crossEntropy: weight must be a float Tensor of shape [3] (one per class), got an array [1, 1, 1]");
  });

  it("binaryCrossEntropyWithLogits: a weight or posWeight that does not broadcast to the input names the loss", () => {
    expect(() => binaryCrossEntropyWithLogits(zeros([2, 3]), zeros([2, 3]), { posWeight: ones([2]) })).toThrow(
      "binaryCrossEntropyWithLogits: posWeight of shape [2] cannot be broadcast to the input shape [2,3] (one weight per class: the input's last dimension)",
    );
    expect(() => binaryCrossEntropyWithLogits(zeros([3]), zeros([3]), { weight: ones([2, 3]) })).toThrow("binaryCrossEntropyWithLogits: weight of shape [2,3] cannot be broadcast to the input shape [3]");
    expect(binaryCrossEntropyWithLogits(zeros([2, 3]), zeros([2, 3]), { posWeight: ones([3]), weight: ones([2, 1]) }).item()).toBeCloseTo(Math.LN2, 6);
  });
});

describe("optimizers", () => {
  it("hyperparameters of the wrong kind throw instead of being used as truthy flags or strings", () => {
    expect(() => new Adam([param()], { lr: "0.1" as unknown as number })).toThrow("Adam: 'lr' must be a number, got string '0.1'");
    expect(() => new AdamW([param()], { amsgrad: "yes" as unknown as boolean })).toThrow("AdamW: 'amsgrad' must be a boolean, got string 'yes'");
    expect(() => new SGD([param()], { lr: 0.1, nesterov: 1 as unknown as boolean, momentum: 0.9 })).toThrow("SGD: 'nesterov' must be a boolean, got number 1");
    expect(() => new Adam([{ params: [param()], maximize: "true" as unknown as boolean }])).toThrow("Adam: 'maximize' must be a boolean");
    const opt = new Adam([param()]);
    expect(() => { opt.lr = "1" as unknown as number; }).toThrow("Adam: invalid learning rate string '1' (must be a finite number >= 0)");
  });

  it("a list entry that is neither a tensor nor a parameter group says what is expected (was 'parameter group 0: expected an options object')", () => {
    expect(() => new Adam([1, 2] as unknown as Tensor[])).toThrow("Adam: expected 'params' as a list of tensors or of parameter groups { params, ...options }, got number 1 at entry 0");
    expect(() => new SGD([{ params: [param()] }, null] as unknown as Tensor[], { lr: 0.1 })).toThrow("SGD: expected 'params' as a list of tensors or of parameter groups { params, ...options }, got null at entry 1");
  });

  it("a Module or a non-list as params says what is expected", () => {
    expect(() => new Adam(new Linear(2, 2) as unknown as Tensor[])).toThrow("Adam: expected 'params' as a list of tensors or of parameter groups { params, ...options }, got a Linear — did you mean model.parameters()?");
    expect(() => new SGD(undefined as unknown as Tensor[], { lr: 1 })).toThrow("SGD: expected 'params' as a list of tensors or of parameter groups { params, ...options }, got undefined");
  });

  it("loadStateDict of something that is not a state dict names the optimizer", () => {
    const opt = new Adam([param()]);
    expect(() => opt.loadStateDict({} as never)).toThrow("Adam.loadStateDict: expected an optimizer state dict { state, paramGroups: [{ params, ... }] } (from stateDict() or unpackOptimizerState), got an empty object {}");
    expect(() => opt.loadStateDict({ state: {}, paramGroups: [{ lr: 1 }] } as never)).toThrow("Adam.loadStateDict: expected an optimizer state dict");
  });

  it("a schedule that gives a NaN or negative learning rate throws at the step that would set it", () => {
    const opt = new SGD([param()], { lr: 0.1 });
    const sched = new LambdaLR(opt, (e) => (e < 2 ? 1 : NaN));
    sched.step();
    expect(() => sched.step()).toThrow("LambdaLR: the schedule gives learning rate number NaN for parameter group 0 at epoch 2 (base lr 0.1); it must be a number >= 0");
    expect(opt.lr).toBe(0.1); // unchanged
  });

  it("a gamma, etaMin, factor or minFactor that would give a NaN or negative lr throws when the schedule is made (was: at a later step, or never at epoch 0 where NaN^0 = 1)", () => {
    const opt = () => new SGD([param()], { lr: 0.1 });
    expect(() => new StepLR(opt(), { stepSize: 1, gamma: -1 })).toThrow("StepLR: gamma must be a finite number >= 0, got number -1");
    expect(() => new ExponentialLR(opt(), { gamma: NaN })).toThrow("ExponentialLR: gamma must be a finite number >= 0, got number NaN");
    expect(() => new ExponentialLR(opt(), {} as { gamma: number })).toThrow("ExponentialLR: gamma must be a finite number >= 0, got undefined");
    expect(() => new CosineAnnealingLR(opt(), { tMax: 10, etaMin: -0.01 })).toThrow("CosineAnnealingLR: etaMin must be a finite number >= 0, got number -0.01");
    expect(() => new NoamLR(opt(), { dModel: 16, warmupSteps: 4, factor: Number.POSITIVE_INFINITY })).toThrow("NoamLR: factor must be a finite number >= 0, got number Infinity");
    expect(() => warmupCosine(2, 10, 1.5)).toThrow("warmupCosine: minFactor must be a number in [0, 1], got number 1.5");
    expect(new ExponentialLR(opt(), { gamma: 1.5 }).optimizer.lr).toBe(0.1); // growth is allowed
  });

  it("a scheduler given something that is not an optimizer names the scheduler (was a TypeError reading 'map')", () => {
    expect(() => new StepLR({} as SGD, { stepSize: 1 })).toThrow("StepLR: expected an optimizer (new SGD(…), new Adam(…)) as the first argument, got an empty object {}");
    expect(() => new LambdaLR([param()] as unknown as SGD, () => 1)).toThrow("LambdaLR: expected an optimizer (new SGD(…), new Adam(…)) as the first argument, got an array [");
  });

  it("clipGradNorm: maxNorm must be a number >= 0 (negative flipped the gradients, NaN made them NaN)", () => {
    const p = param();
    p.grad = tensor([3, -4]);
    expect(() => clipGradNorm([p], -1)).toThrow("clipGradNorm: maxNorm must be a number >= 0 (a negative one would flip the gradients' sign, NaN make them NaN), got number -1");
    expect(() => clipGradNorm([p], NaN)).toThrow("got number NaN");
    expect(Array.from(p.grad.data)).toEqual([3, -4]);
    expect(clipGradNorm([p], Infinity)).toBe(5);
  });
});

describe("functions given an array or other non-Tensor where a tensor goes", () => {
  it("name the function and the argument (were TypeErrors from inside: reading 'NaN', 'join', 'length')", () => {
    const w = zeros([2, 3]);
    expect(() => new Linear(3, 2).forward([[1, 2, 3]] as unknown as Tensor)).toThrow("linear: expected 'x' to be a Tensor, got an array [… ] (wrap it with tensor())".replace("[… ]", "[…]"));
    expect(() => linear(ones([1, 3]), [[1, 2, 3]] as unknown as Tensor)).toThrow(/^linear: expected 'weight' to be a Tensor, got an array/);
    expect(() => linear(ones([1, 3]), w, [0, 0] as unknown as Tensor)).toThrow("linear: expected 'bias' to be a Tensor, got an array [0, 0] (wrap it with tensor())");
    expect(() => new Embedding(4, 3).forward([1, 2] as unknown as Tensor)).toThrow("embedding: expected 'ids' to be a Tensor, got an array [1, 2] (wrap it with tensor())");
    expect(() => crossEntropy(logits(), [0, 2] as unknown as Tensor)).toThrow("crossEntropy: expected 'target' to be a Tensor, got an array [0, 2] (wrap it with tensor())");
    expect(() => crossEntropy(undefined as unknown as Tensor, targets())).toThrow("crossEntropy: expected 'input' to be a Tensor, got undefined");
    expect(() => nllLoss(logits(), 1 as unknown as Tensor)).toThrow("nllLoss: expected 'target' to be a Tensor, got number 1");
    expect(() => mseLoss(ones([2]), [1, 1] as unknown as Tensor)).toThrow("mseLoss: expected 'target' to be a Tensor, got an array [1, 1] (wrap it with tensor())");
    expect(() => binaryCrossEntropyWithLogits([0.5] as unknown as Tensor, ones([1]))).toThrow("binaryCrossEntropyWithLogits: expected 'input' to be a Tensor, got an array [0.5] (wrap it with tensor())");
  });
});

describe("round two of the outside probe", () => {
  it("optimizer hyperparameters must be finite: lr or eps Infinity made every parameter NaN; NaN dampening too", () => {
    expect(() => new SGD([param()], { lr: Infinity })).toThrow("SGD: invalid learning rate Infinity (must be a finite number >= 0)");
    expect(() => new Adam([param()], { eps: Infinity })).toThrow("Adam: invalid eps Infinity (must be a finite number >= 0)");
    expect(() => new AdamW([param()], { weightDecay: Infinity })).toThrow("AdamW: invalid weightDecay Infinity (must be a finite number >= 0)");
    expect(() => new SGD([param()], { lr: 0.1, momentum: 0.9, dampening: NaN })).toThrow("SGD: invalid dampening NaN (must be a finite number)");
    const opt = new SGD([param()], { lr: 0.1 });
    expect(() => { opt.lr = Infinity; }).toThrow("SGD: invalid learning rate number Infinity (must be a finite number >= 0)");
  });

  it("clipGradNorm: a Module, a number or a list with a non-tensor names clipGradNorm (were TypeErrors)", () => {
    expect(() => clipGradNorm(new Linear(2, 2) as unknown as Tensor[], 1)).toThrow("clipGradNorm: expected 'params' as a tensor or a list of tensors, got a Linear — did you mean model.parameters()?");
    expect(() => clipGradNorm(5 as unknown as Tensor[], 1)).toThrow("clipGradNorm: expected 'params' as a tensor or a list of tensors, got number 5");
    expect(() => clipGradNorm([param(), "w"] as unknown as Tensor[], 1)).toThrow("clipGradNorm: expected 'params' as a tensor or a list of tensors, got string 'w' at entry 1");
  });

  it("LayerNorm flags must be booleans ('no' kept the affine weights); layerNorm / Softmax / init / countParameters / packOptimizerState name themselves", () => {
    expect(() => new LayerNorm(3, { elementwiseAffine: "no" as unknown as boolean })).toThrow("LayerNorm: expected 'elementwiseAffine' to be a boolean, got string 'no'");
    expect(() => new LayerNorm(3, { bias: 0 as unknown as boolean })).toThrow("LayerNorm: expected 'bias' to be a boolean, got number 0");
    expect(() => new LayerNorm(3).forward([[1, 2, 3]] as unknown as Tensor)).toThrow("layerNorm: expected 'x' to be a Tensor, got an array […] (wrap it with tensor())");
    expect(() => new Softmax({ dim: "1" as unknown as number })).toThrow("Softmax: expected 'dim' to be an integer, got string '1'");
    expect(() => new LogSoftmax({ dim: 0.5 })).toThrow("LogSoftmax: expected 'dim' to be an integer, got number 0.5");
    expect(() => uniform_([1, 2] as unknown as Tensor)).toThrow("uniform_: expected 't' to be a Tensor, got an array [1, 2] (wrap it with tensor())");
    expect(() => constant_(zeros([2]), "a" as unknown as number)).toThrow("constant_: expected 'value' to be a number, got string 'a' (tensor [2])");
    expect(() => countParameters(5 as unknown as Linear)).toThrow("countParameters: expected a Module, got number 5");
    const opt = new SGD([param()], { lr: 0.1 });
    expect(() => packOptimizerState(opt as unknown as ReturnType<SGD["stateDict"]>)).toThrow(/^packOptimizerState: expected an optimizer's stateDict\(\) \(\{ state, paramGroups \}\), got a SGD — did you mean optimizer.stateDict\(\)\?$/);
  });

  it("loadStateDict: strict must be a boolean (strict: 'no' was truthy: strict)", () => {
    expect(() => new Linear(2, 2).loadStateDict({ weight: zeros([2, 2]) }, { strict: "no" as unknown as boolean })).toThrow("Linear.loadStateDict: expected 'strict' to be a boolean, got string 'no'");
  });

  it("crossEntropy: ignoreIndex with class-probability targets throws (PyTorch ignores it silently: a deliberate difference); all targets ignored gives NaN for 'mean' as PyTorch", () => {
    const probs = tensor([[0.2, 0.3, 0.5], [1, 0, 0]]);
    expect(() => crossEntropy(logits(), probs, { ignoreIndex: 0 })).toThrow("crossEntropy: ignoreIndex applies to int32 class-index targets, but target [2,3] (float32, the input's shape) holds class probabilities; leave ignoreIndex out, or give int32 class indices");
    expect(Number.isFinite(crossEntropy(logits(), probs).item())).toBe(true);
    expect(crossEntropy(logits(), tensor([-100, -100], undefined, "int32")).item()).toBeNaN();
    expect(crossEntropy(logits(), tensor([-100, -100], undefined, "int32"), { reduction: "sum" }).item()).toBe(0);
  });
});

describe("round three of the outside probe", () => {
  it("an rng that is not a Generator names the layer or initialiser (Linear/Embedding threw 'g.nextFloat is not a function'; Dropout kept it until forward)", () => {
    expect(() => new Linear(2, 2, { rng: 5 as unknown as Generator })).toThrow("Linear: expected 'rng' to be a Generator (new Generator(seed)) or left out for nn's default one, got number 5");
    expect(() => new Embedding(2, 2, { rng: {} as Generator })).toThrow(/^Embedding: expected 'rng' to be a Generator .*, got an empty object \{\}$/);
    expect(() => new Dropout(0.1, { rng: 1 as unknown as Generator })).toThrow(/^Dropout: expected 'rng' to be a Generator/);
    expect(() => normal_(zeros([2]), 0, 1, "seed" as unknown as Generator)).toThrow(/^normal_: expected 'rng' to be a Generator/);
    expect(new Linear(2, 2, { rng: new Generator(3) }).weight.shape).toEqual([2, 2]);
  });

  it("xavier initialisers check gain (NaN named uniform_) and their tensor", () => {
    expect(() => xavierUniform_(zeros([2, 2]), NaN)).toThrow("xavierUniform_: expected 'gain' to be a finite number >= 0, got number NaN (tensor [2,2])");
    expect(() => xavierNormal_([[1]] as unknown as Tensor)).toThrow(/^xavierNormal_: expected 't' to be a Tensor/);
  });

  it("a scheduler's step(epoch) is refused (the epoch was ignored) and loadStateDict checks its dict (was a TypeError)", () => {
    const s = new StepLR(new SGD([param()], { lr: 0.1 }), { stepSize: 1 });
    expect(() => (s.step as (e: number) => void)(5)).toThrow("StepLR.step: takes no arguments, got 1 (PyTorch's deprecated step(epoch) is not supported: each step() advances one epoch; set lastEpoch through loadStateDict)");
    expect(s.lastEpoch).toBe(0);
    expect(() => s.loadStateDict(5 as unknown as ReturnType<StepLR["stateDict"]>)).toThrow("StepLR.loadStateDict: expected a scheduler's stateDict() ({ lastEpoch, baseLrs }), got number 5");
    expect(() => s.loadStateDict({ lastEpoch: -1, baseLrs: [0.1] })).toThrow(/^StepLR.loadStateDict: expected a scheduler's stateDict\(\)/);
    s.loadStateDict({ lastEpoch: 2, baseLrs: [0.1] });
    expect(s.optimizer.lr).toBeCloseTo(0.001);
  });
});

describe("init", () => {
  it("uniform_ needs low <= high, normal_ std >= 0, kaimingUniform_ a known mode", () => {
    const g = new Generator(0);
    expect(() => uniform_(zeros([2]), 1, 0, g)).toThrow("uniform_: expected low <= high (as torch.nn.init.uniform_'s a <= b), got low=1, high=0 (tensor [2])");
    expect(() => normal_(zeros([2]), 0, -1, g)).toThrow("normal_: expected a finite mean and std >= 0, got mean=0, std=-1 (tensor [2])");
    expect(() => kaimingUniform_(zeros([2, 2]), { mode: "fan_out" as "fanOut" })).toThrow("kaimingUniform_: mode must be 'fanIn' or 'fanOut', got \"fan_out\" — did you mean 'fanOut'?");
    expect(() => kaimingUniform_(zeros([2, 2]), { mode: "x" as "fanIn" })).toThrow("kaimingUniform_: mode must be 'fanIn' or 'fanOut', got \"x\"");
  });
});

describe("safetensors and state dicts", () => {
  it("non-tensor values and non-byte input name the function", () => {
    expect(() => serializeSafetensors(new Map([["a", [1] as unknown as Tensor]]))).toThrow("serializeSafetensors: 'a' must be a Tensor, got an array [1]");
    expect(() => parseSafetensors("abc" as unknown as Uint8Array)).toThrow("parseSafetensors: expected the file's bytes as a Uint8Array or ArrayBuffer, got string 'abc'");
    const m = new Linear(2, 3, { rng: new Generator(0) });
    expect(() => m.loadStateDict({ weight: [[1, 2]], bias: [1, 2, 3] } as unknown as Record<string, Tensor>)).toThrow("Linear.loadStateDict: 'weight' must be a Tensor, got an array […]");
  });
});

describe("names in errors survive minification", () => {
  /** Runs `fn` while `cls.name` reads as a minifier would leave it, then puts the name back. */
  function withMangledName<T>(cls: object, fn: () => T): T {
    const own = Object.getOwnPropertyDescriptor(cls, "name")!;
    Object.defineProperty(cls, "name", { value: "e", configurable: true });
    try {
      return fn();
    } finally {
      Object.defineProperty(cls, "name", own);
    }
  }

  it("optimizers, schedulers and modules are named by their explicit names, not constructor.name", () => {
    withMangledName(AdamW, () => expect(() => new AdamW([param()], { lr: -1 })).toThrow("AdamW: invalid learning rate -1"));
    withMangledName(Adam, () => expect(() => new Adam([param()], { eps: -1 })).toThrow("Adam: invalid eps -1"));
    const sgd = new SGD([param()], { lr: 0.1 });
    withMangledName(LambdaLR, () => {
      const sched = new LambdaLR(sgd, (e) => (e < 1 ? 1 : -1));
      expect(() => sched.step()).toThrow("LambdaLR: the schedule gives learning rate number -0.1");
      expect(() => sched.loadStateDict({ lastEpoch: 0, baseLrs: [] })).toThrow("LambdaLR.loadStateDict: 0 base learning rates for 1 parameter groups");
    });
    withMangledName(StepLR, () => expect(() => new StepLR(sgd, { stepSize: 1, gamma: -1 })).toThrow("StepLR: gamma must be a finite number >= 0"));
    withMangledName(Linear, () => expect(() => new Linear(2, 2).registerParameter("w", new Generator(1) as never)).toThrow("Linear.registerParameter: 'w' must be a Tensor (or null), got a Generator"));
  });

  it("a scheduler subclass without its own typeName is named by its class", () => {
    class MySchedule extends LambdaLR {}
    const sched = new MySchedule(new SGD([param()], { lr: 0.1 }), () => 1);
    expect(sched.typeName).toBe("MySchedule");
    expect(new StepLR(new SGD([param()], { lr: 0.1 }), { stepSize: 1 }).typeName).toBe("StepLR");
  });
});
