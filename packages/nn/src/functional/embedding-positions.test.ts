import "@heed/autograd";
import { gradCheck } from "@heed/autograd";
import { add, cast, Generator, getBackend, mul, randn, setBackend, slice, sum, Tensor, type Tensor as T } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { randn64 } from "../../test/utils.js";
import { dropout } from "./dropout.js";
import { embedding } from "./embedding.js";
import { embeddingPositions } from "./embedding-positions.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const [V, E, B, L] = [7, 8, 3, 4];
const ids = new Tensor(Int32Array.from({ length: B * L }, (_, i) => (i * 5 + 1) % V), [B, L], "int32");
const pe = randn([10, E], new Generator(2));

/** Value and dL/dweight of Σ f(weight)·r for a fixed random r. */
function valueAndGrad(f: (w: T) => T): number[][] {
  const w = cast(randn64([V, E], 1), "float32").requiresGrad_();
  const y = f(w);
  sum(mul(y, randn(y.shape, new Generator(9)))).backward();
  return [Array.from(y.data), Array.from(w.grad!.data)];
}

describe("embeddingPositions", () => {
  it.each(["js", "wasm"])("has the bits of dropout(embedding(ids, W)·s + P[offset..]) with the same seed, value and gradient (%s)", (backend) => {
    expect(setBackend(backend)).toBe(true);
    for (const [p, training, paddingIdx, offset] of [[0.3, true, 0, 2], [0.3, false, null, 0], [0, true, 3, 1]] as const) {
      const s = Math.sqrt(E);
      const composed = valueAndGrad((w) => dropout(add(mul(embedding(ids, w, paddingIdx), s), slice(pe, [offset], [offset + L])), p, training, new Generator(5)));
      const fused = valueAndGrad((w) => embeddingPositions(ids, w, { paddingIdx, scale: s, positions: pe, offset, p, training, rng: new Generator(5) }));
      expect(fused).toEqual(composed);
    }
  });

  it("passes a float64 gradCheck, with dropout (the padding row, which gets no gradient by design, is checked above)", () => {
    const pe64 = randn64([6, E], 3);
    const r = gradCheck((w) => embeddingPositions(ids, w, { scale: 1.5, positions: pe64, offset: 1, p: 0.25, rng: new Generator(4) }), [randn64([V, E], 1)]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("draws one seed when it drops; learned positions (requiring a gradient) get their gradient through the composition", () => {
    const [g1, g2] = [new Generator(7), new Generator(7)];
    embeddingPositions(ids, randn64([V, E], 1), { p: 0.2, rng: g1 });
    dropout(randn64([2], 1), 0.2, true, g2);
    expect(g1.nextUint32()).toBe(g2.nextUint32());
    const learned = randn64([6, E], 3).requiresGrad_();
    sum(embeddingPositions(ids, randn64([V, E], 1), { positions: learned })).backward();
    expect(learned.grad!.shape).toEqual([6, E]);
  });

  it("names the op, the shapes and the bad setting", () => {
    const w = randn64([V, E], 1);
    expect(() => embeddingPositions(ids, w, { positions: pe, offset: 8 })).toThrow(/embeddingPositions: positions must be \[maxLen, 8\] covering positions 8\.\.11, got \[10,8\] \(ids: \[3,4\], weight: \[7,8\]\)/);
    expect(() => embeddingPositions(new Tensor(Int32Array.from([9]), [1], "int32"), w)).toThrow(/embeddingPositions: id 9 at flat position 0 is out of range for 7 embeddings/);
    expect(() => embeddingPositions(ids, w, { p: 2 })).toThrow(/embeddingPositions: probability p must be in \[0, 1\], got 2/);
  });
});
