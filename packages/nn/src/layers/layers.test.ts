import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { Generator, ones, tensor, type Tensor } from "@heed/tensor-core";
import { embedding } from "../functional/embedding.js";
import { layerNorm } from "../functional/layer-norm.js";
import { linear } from "../functional/linear.js";
import { Sequential } from "../module/containers.js";
import { randn64 } from "../../test/utils.js";
import { describe, expect, it } from "vitest";
import { GELU, Identity, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from "./activations.js";
import { Dropout } from "./dropout.js";
import { Embedding } from "./embedding.js";
import { LayerNorm } from "./layer-norm.js";
import { Linear } from "./linear.js";

describe("LayerNorm", () => {
  it("has weight ones and bias zeros of normalizedShape, named like PyTorch", () => {
    const ln = new LayerNorm([2, 3], { eps: 1e-6 });
    expect(ln.namedParameters().map(([n, p]) => [n, p.shape, [...p.data]])).toEqual([
      ["weight", [2, 3], [1, 1, 1, 1, 1, 1]],
      ["bias", [2, 3], [0, 0, 0, 0, 0, 0]],
    ]);
    expect(ln.toString()).toBe("LayerNorm((2, 3), eps=1e-06, elementwise_affine=true)");
    expect(new LayerNorm(3, { eps: 0.001 }).toString()).toBe("LayerNorm((3,), eps=0.001, elementwise_affine=true)");
    expect(new LayerNorm(4, { bias: false }).namedParameters().map(([n]) => n)).toEqual(["weight"]);
    expect(new LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
  });

  it("normalises with the biased variance", () => {
    const y = new LayerNorm(2).forward(tensor([[1, 3]]));
    expect(y.data[0]).toBeCloseTo(-1 / Math.sqrt(1 + 1e-5), 6);
    expect(y.data[1]).toBeCloseTo(1 / Math.sqrt(1 + 1e-5), 6);
  });
});

describe("Embedding", () => {
  it("draws N(0, 1) weights with the padding row zeroed", () => {
    const emb = new Embedding(100, 50, { paddingIdx: -1, rng: new Generator(3) });
    expect(emb.paddingIdx).toBe(99);
    const v = [...emb.weight.data];
    expect(v.slice(99 * 50).every((x) => x === 0)).toBe(true);
    const body = v.slice(0, 99 * 50);
    const mean = body.reduce((a, b) => a + b, 0) / body.length;
    const variance = body.reduce((a, b) => a + (b - mean) ** 2, 0) / body.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(emb.toString()).toBe("Embedding(100, 50, padding_idx=99)");
  });

  it("looks up ids", () => {
    const emb = new Embedding(3, 2);
    expect(emb.forward(tensor([[2]], undefined, "int32")).toArray()).toEqual([[[...emb.weight.data.slice(4, 6)]]]);
  });
});

describe("Dropout", () => {
  it("drops in training and is the identity in eval", () => {
    const d = new Dropout(0.5, { rng: new Generator(0) });
    const x = ones([1000]);
    const zeros = [...d.forward(x).data].filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(400);
    expect(zeros).toBeLessThan(600);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(() => new Dropout(-0.1)).toThrow(/Dropout: probability p must be a number in \[0, 1\], got number -0.1/);
  });
});

describe("activations", () => {
  const x = tensor([-2, -0.5, 0, 1.5]);
  const close = (got: ArrayLike<number>, want: number[]): void => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6));
  it("compute their PyTorch definitions", () => {
    close(new ReLU().forward(x).data, [0, 0, 0, 1.5]);
    close(new Tanh().forward(x).data, [-2, -0.5, 0, 1.5].map(Math.tanh));
    close(new Sigmoid().forward(x).data, [-2, -0.5, 0, 1.5].map((v) => 1 / (1 + Math.exp(-v))));
    // GELU(x) = x·Φ(x): Φ(1.5) = 0.9331928, Φ(−0.5) = 0.3085375, Φ(−2) = 0.0227501
    close(new GELU().forward(x).data, [-2 * 0.0227501319, -0.5 * 0.3085375387, 0, 1.5 * 0.9331927987]);
    const tanhApprox = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    close(new GELU({ approximate: "tanh" }).forward(x).data, [-2, -0.5, 0, 1.5].map(tanhApprox));
    const e = [-2, -0.5, 0, 1.5].map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    close(new Softmax().forward(x).data, e.map((v) => v / s));
    close(new LogSoftmax({ dim: 0 }).forward(x).data, e.map((v) => Math.log(v / s)));
    expect(new Identity().forward(x)).toBe(x);
    expect(() => new GELU({ approximate: "fast" as "tanh" })).toThrow(/GELU: approximate must be 'none' or 'tanh', got "fast"/);
  });
});

describe("gradients through every layer (gradCheck in float64, input and parameters)", () => {
  const x = (): Tensor => randn64([3, 4], 21);
  const modules: [string, () => { forward(x: Tensor): Tensor }][] = [
    ["Linear", () => new Linear(4, 3, { dtype: "float64", rng: new Generator(1) })],
    ["LayerNorm", () => new LayerNorm(4, { dtype: "float64" })],
    ["ReLU", () => new ReLU()],
    ["GELU", () => new GELU()],
    ["GELU tanh", () => new GELU({ approximate: "tanh" })],
    ["Tanh", () => new Tanh()],
    ["Sigmoid", () => new Sigmoid()],
    ["Softmax", () => new Softmax({ dim: 1 })],
    ["LogSoftmax", () => new LogSoftmax()],
    ["Sequential", () => new Sequential(new Linear(4, 5, { dtype: "float64" }), new Tanh(), new Linear(5, 2, { dtype: "float64" }))],
  ];
  it.each(modules)("%s", (_name, make) => {
    const m = make();
    const r = gradCheck((input) => m.forward(input), [x()]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("Linear and LayerNorm parameters", () => {
    const lin = new Linear(4, 3, { dtype: "float64" });
    const r = gradCheck((input, w, b) => linear(input, w, b), [x(), lin.weight.clone(), lin.bias!.clone()]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const ln = new LayerNorm(4, { dtype: "float64" });
    const r2 = gradCheck((input, w, b) => layerNorm(input, ln.normalizedShape, w, b, ln.eps), [x(), randn64([4], 2), randn64([4], 3)]);
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
  });

  it("Embedding weight and Dropout input", () => {
    const ids = tensor([[1, 2, 2]], undefined, "int32");
    const emb = new Embedding(3, 2, { dtype: "float64" });
    const r = gradCheck((w) => embedding(ids, w, emb.paddingIdx), [emb.weight.clone()]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const r2 = gradCheck((input) => new Dropout(0.3, { rng: new Generator(5) }).forward(input), [x()]);
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
  });
});
