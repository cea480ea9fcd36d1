import { gradCheck } from "@heed/autograd";
import { Embedding } from "@heed/nn";
import { Generator, mul, randn, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { LearnedPositionalEncoding, SinusoidalPositionalEncoding } from "./positional-encoding.js";

describe("SinusoidalPositionalEncoding", () => {
  it("adds sin/cos(pos / 10000^(2i/E)) at the right offset", () => {
    const E = 6;
    const pos = new SinusoidalPositionalEncoding({ dModel: E, maxLen: 20 });
    const x = rnd([2, 3, E], 1, "float32");
    const y = pos.forward(x, 5);
    expect(y.shape).toEqual([2, 3, E]);
    const want = new Float64Array(2 * 3 * E);
    for (let b = 0; b < 2; b++) {
      for (let l = 0; l < 3; l++) {
        for (let i = 0; i < E; i++) {
          const angle = (l + 5) / Math.pow(10000, (2 * Math.floor(i / 2)) / E);
          want[(b * 3 + l) * E + i] = x.data[(b * 3 + l) * E + i]! + (i % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
        }
      }
    }
    expect(y.data).toBeAllclose(want);
    expect([...pos.stateDict().keys()]).toEqual([]); // the table is a non-persistent buffer
  });
  it("errors on a wrong width or a sequence longer than maxLen", () => {
    const pos = new SinusoidalPositionalEncoding({ dModel: 4, maxLen: 8 });
    expect(() => pos.forward(rnd([1, 3, 5], 1))).toThrow("SinusoidalPositionalEncoding.forward: x must be [..., L, E] with E = dModel = 4, got shape [1,3,5]");
    expect(() => pos.forward(rnd([1, 6, 4], 1, "float32"), 4)).toThrow("SinusoidalPositionalEncoding.forward: positions 4..9 of x [1,6,4] exceed maxLen 8");
  });
});

describe("LearnedPositionalEncoding", () => {
  it("adds rows of its weight and is trained through them", () => {
    const pos = new LearnedPositionalEncoding({ dModel: 4, maxLen: 10, rng: new Generator(3), dtype: "float64" });
    expect([...pos.stateDict().keys()]).toEqual(["weight"]);
    const x = rnd([2, 3, 4], 1);
    const y = pos.forward(x, 2);
    const want = Float64Array.from(x.data, (v, idx) => v + pos.weight.data[(2 + Math.floor(idx / 4) % 3) * 4 + (idx % 4)]!);
    expect(y.data).toBeAllclose(want, { rtol: 1e-12, atol: 1e-12 });
    expect(gradCheck((x) => pos.forward(x), [x]).ok).toBe(true);
  });
});

describe("SinusoidalPositionalEncoding.embed", () => {
  it("has the bits of forward(embedding·scale, offset) in training (value, dropout mask and embedding gradient)", () => {
    const E = 8;
    const ids = tensor([[1, 0, 3], [2, 2, 4]], undefined, "int32");
    const run = (f: (pos: SinusoidalPositionalEncoding, emb: Embedding) => Tensor): number[][] => {
      const emb = new Embedding(5, E, { paddingIdx: 0, rng: new Generator(1) });
      const pos = new SinusoidalPositionalEncoding({ dModel: E, maxLen: 10, dropout: 0.3, rng: new Generator(2) });
      const y = f(pos, emb);
      sum(mul(y, randn(y.shape, new Generator(3)))).backward();
      return [Array.from(y.data), Array.from(emb.weight.grad!.data)];
    };
    const composed = run((pos, emb) => pos.forward(mul(emb.forward(ids), Math.sqrt(E)), 4));
    expect(run((pos, emb) => pos.embed(ids, emb, Math.sqrt(E), 4))).toEqual(composed);
    const pos = new SinusoidalPositionalEncoding({ dModel: E, maxLen: 6 });
    expect(() => pos.embed(ids, new Embedding(5, E), 1, 4)).toThrow("SinusoidalPositionalEncoding.embed: positions 4..6 of ids [2,3] exceed maxLen 6");
  });
});
