import "@heed/autograd";
import { add, mul, ones, tensor, zeros, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { Linear } from "../layers/linear.js";
import { ReLU } from "../layers/activations.js";
import { Dropout } from "../layers/dropout.js";
import { LayerNorm } from "../layers/layer-norm.js";
import { ModuleList, Sequential } from "./containers.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";

class Attn extends Module {
  readonly inProjWeight: Parameter;
  readonly outProj: Linear;
  constructor(E: number) {
    super();
    this.inProjWeight = this.registerParameter("in_proj_weight", zeros([3 * E, E]));
    this.registerParameter("in_proj_bias", null);
    this.outProj = this.registerModule("out_proj", new Linear(E, E));
    this.registerBuffer("mask", ones([2, 2]));
    this.registerBuffer("cache", zeros([1]), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return this.outProj.forward(x);
  }
}

class Encoder extends Module {
  readonly layers: ModuleList<Attn>;
  readonly norm: LayerNorm;
  constructor(E: number, n: number) {
    super();
    this.layers = this.registerModule("layers", new ModuleList(Array.from({ length: n }, () => new Attn(E))));
    this.norm = this.registerModule("norm", new LayerNorm(E));
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.layers) y = layer.forward(y);
    return this.norm.forward(y);
  }
}

describe("Module registration and traversal", () => {
  const enc = new Encoder(4, 2);

  it("names parameters with PyTorch's dotted names in registration order", () => {
    expect(enc.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["layers.0.in_proj_weight", [12, 4]],
      ["layers.0.out_proj.weight", [4, 4]],
      ["layers.0.out_proj.bias", [4]],
      ["layers.1.in_proj_weight", [12, 4]],
      ["layers.1.out_proj.weight", [4, 4]],
      ["layers.1.out_proj.bias", [4]],
      ["norm.weight", [4]],
      ["norm.bias", [4]],
    ]);
    expect(enc.parameters().every((p) => p instanceof Parameter && p.requiresGrad)).toBe(true);
    expect(enc.namedParameters({ recurse: false })).toEqual([]);
  });

  it("lists modules, children and buffers", () => {
    expect(enc.namedModules().map(([n, m]) => `${n}:${m.constructor.name}`)).toEqual([
      ":Encoder", "layers:ModuleList", "layers.0:Attn", "layers.0.out_proj:Linear", "layers.1:Attn", "layers.1.out_proj:Linear", "norm:LayerNorm",
    ]);
    expect(enc.children().map((m) => m.constructor.name)).toEqual(["ModuleList", "LayerNorm"]);
    expect(enc.namedBuffers().map(([n]) => n)).toEqual(["layers.0.mask", "layers.0.cache", "layers.1.mask", "layers.1.cache"]);
    expect(enc.buffers()).toHaveLength(4);
  });

  it("stateDict holds parameters then persistent buffers per module, sharing storage", () => {
    const sd = enc.stateDict();
    expect([...sd.keys()]).toEqual([
      "layers.0.in_proj_weight", "layers.0.mask", "layers.0.out_proj.weight", "layers.0.out_proj.bias",
      "layers.1.in_proj_weight", "layers.1.mask", "layers.1.out_proj.weight", "layers.1.out_proj.bias",
      "norm.weight", "norm.bias",
    ]);
    expect(sd.get("norm.weight")!.data).toBe(enc.norm.weight!.data);
    expect(sd.get("norm.weight")!.requiresGrad).toBe(false);
  });

  it("counts parameters once even when shared, and summarises them", () => {
    const lin = new Linear(3, 2);
    const tied = new Sequential(lin, new ReLU(), lin);
    expect(tied.numParameters()).toBe(8);
    expect(enc.numParameters()).toBe(2 * (48 + 16 + 4) + 8);
    const s = enc.summary();
    expect(s).toMatch(/layers\.0\.out_proj\s+Linear\(in_features=4, out_features=4, bias=true\)\s+20/);
    expect(s).toMatch(/\(root\)\s+Encoder\s+144/);
    expect(s).toContain("total: 144 parameters (144 trainable)");
    enc.norm.bias!.requiresGrad = false;
    expect(enc.numParameters({ trainableOnly: true })).toBe(140);
    enc.norm.bias!.requiresGrad = true;
  });

  it("prints like PyTorch's repr", () => {
    expect(new Sequential(new Linear(2, 3), new ReLU()).toString()).toBe(
      "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=true)\n  (1): ReLU()\n)",
    );
  });

  it("rejects bad and duplicate names", () => {
    class Bad extends Module {
      forward(): void {}
    }
    const m = new Bad();
    expect(() => m.registerParameter("a.b", zeros([1]))).toThrow(/Bad.registerParameter: invalid name "a.b"/);
    expect(() => m.registerParameter("", zeros([1]))).toThrow(/invalid name/);
    m.registerParameter("w", zeros([1]));
    expect(() => m.registerBuffer("w", zeros([1]))).toThrow(/Bad.registerBuffer: 'w' is already registered as a parameter/);
    expect(() => m.registerModule("w", new ReLU())).toThrow(/already registered as a parameter/);
  });

  it("re-registering a parameter replaces it in place of the old one", () => {
    const lin = new Linear(2, 2);
    lin.registerParameter("weight", ones([2, 2]));
    expect(lin.namedParameters().map(([n]) => n)).toEqual(["weight", "bias"]);
    expect([...lin.parameters()[0]!.data]).toEqual([1, 1, 1, 1]);
  });
});

describe("Module modes, gradients and containers", () => {
  it("train()/eval() switch every descendant", () => {
    const m = new Sequential(new Linear(2, 2), new Dropout(0.5));
    expect(m.eval().modules().every((c) => !c.training)).toBe(true);
    expect(m.train().modules().every((c) => c.training)).toBe(true);
    m.train(false);
    expect(m.at(1).training).toBe(false);
  });

  it("zeroGrad drops every gradient", () => {
    const m = new Linear(2, 2);
    const y = m.forward(tensor([[1, 2]]));
    add(mul(y, y), 0).backward(ones([1, 2]));
    expect(m.weight.grad).not.toBeNull();
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("Sequential chains forward and indexes its modules", () => {
    const a = new Linear(3, 4);
    const s = new Sequential(a, new ReLU()).append(new Linear(4, 1));
    expect(s.length).toBe(3);
    expect(s.at(0)).toBe(a);
    expect(s.at(-1)).toBeInstanceOf(Linear);
    expect(s.forward(ones([5, 3])).shape).toEqual([5, 1]);
    expect(() => s.at(3)).toThrow(/Sequential.at: index 3 is out of range for 3 modules/);
    expect(s.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
  });

  it("ModuleList has no forward and apply() visits children first", () => {
    const list = new ModuleList([new ReLU(), new Linear(1, 1)]);
    expect(() => list.forward()).toThrow(/ModuleList.forward: a ModuleList has no forward \(it holds 2 modules\)/);
    const seen: string[] = [];
    list.apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(["ReLU", "Linear", "ModuleList"]);
  });
});

describe("loadStateDict", () => {
  it("copies values in place (converting dtype) and round-trips a stateDict", () => {
    const a = new Encoder(4, 1);
    const b = new Encoder(4, 1);
    const before = b.layers.at(0).inProjWeight;
    a.layers.at(0).inProjWeight.data.fill(0.5);
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.layers.at(0).inProjWeight).toBe(before);
    expect(before.data[0]).toBe(0.5);
    expect([...b.layers.at(0).outProj.weight.data]).toEqual([...a.layers.at(0).outProj.weight.data]);
    b.loadStateDict({ ...Object.fromEntries(a.stateDict()), "norm.bias": tensor([1, 2, 3, 4], undefined, "float64") });
    expect([...b.norm.bias!.data]).toEqual([1, 2, 3, 4]);
  });

  it("lists missing keys, unexpected keys and shape mismatches in one error, and writes nothing", () => {
    const m = new Encoder(4, 1);
    const sd = new Map(m.stateDict());
    sd.delete("norm.weight");
    sd.set("extra.weight", zeros([1]));
    sd.set("norm.bias", zeros([5]));
    sd.set("layers.0.mask", ones([2, 2]).clone());
    sd.get("layers.0.mask")!.data.fill(9);
    let message = "";
    try {
      m.loadStateDict(sd);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("loadStateDict: cannot load into Encoder");
    expect(message).toContain("missing keys (1): norm.weight");
    expect(message).toContain("unexpected keys (1): extra.weight");
    expect(message).toContain("norm.bias: checkpoint shape [5], module shape [4]");
    expect(m.namedBuffers()[0]![1].data[0]).toBe(1);
  });

  it("non-strict loading tolerates key differences but never shape mismatches", () => {
    const m = new Linear(2, 3);
    const res = m.loadStateDict({ weight: ones([3, 2]), other: zeros([1]) }, { strict: false });
    expect(res).toEqual({ missingKeys: ["bias"], unexpectedKeys: ["other"] });
    expect([...m.weight.data]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(() => m.loadStateDict({ weight: ones([2, 3]) }, { strict: false })).toThrow(/weight: checkpoint shape \[2,3\], module shape \[3,2\]/);
  });
});

describe("a Module without forward (plain JavaScript)", () => {
  it("throws naming the module when called directly or from a container, as PyTorch does", () => {
    // What a JavaScript subclass that forgets forward looks like to TypeScript.
    const NoForward = class NoForward extends (Module as unknown as new () => object) {
      static readonly typeName = "NoForward";
    };
    const m = new NoForward() as Module & { forward(x: Tensor): Tensor };
    const message = "NoForward.forward: this module is missing the required forward method (a Module subclass must define forward)";
    expect(() => m.forward(ones([2]))).toThrow(message);
    expect(() => new Sequential(new Linear(2, 2), m).forward(ones([1, 2]))).toThrow(message); // was "m.forward is not a function"
  });

  it("a subclass's forward, as a method or a class field, is the one called", () => {
    class Method extends Module {
      forward(x: Tensor): Tensor {
        return mul(x, 2);
      }
    }
    class Field extends Module {
      forward = (x: Tensor): Tensor => add(x, 1);
    }
    expect(Array.from(new Method().forward(tensor([1, 2])).data)).toEqual([2, 4]);
    expect(Array.from(new Field().forward(tensor([1, 2])).data)).toEqual([2, 3]);
  });
});
