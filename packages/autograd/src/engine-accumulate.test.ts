import { add, Generator, mul, randn, sum, tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { grad } from "./index.js";

describe("engine: gradients that meet", () => {
  it("sums many contributions (the third and later ones in place)", () => {
    const x = randn([50], new Generator(1)).requiresGrad_();
    // integer weights: every order of summation is exact
    const ws = [3, -17, 29, 11, -5].map((c, k) => tensor(Array.from({ length: 50 }, (_, i) => c + ((i * (k + 3)) % 13))));
    sum(ws.reduce<Tensor | null>((acc, w) => (acc === null ? mul(x, w) : add(acc, mul(x, w))), null)!).backward();
    const want = Array.from({ length: 50 }, (_, i) => ws.reduce((a, w) => a + w.data[i]!, 0));
    expect(Array.from(x.grad!.data)).toEqual(want);
  });

  it("never adds into a sum or reused storage a rule has passed on to several inputs", () => {
    // u = p + q is used three times, so its gradient is a sum the engine made; add's rule passes
    // that one tensor to both p and q, and w = p·q then adds more to each (w's node runs between
    // u's and q's in the first order): neither may write into the shared sum.
    for (const wFirst of [true, false]) {
      const f = (x: Tensor): Tensor => {
        const p = mul(x, 2);
        const q = mul(x, 5);
        const u = add(p, q);
        const v = add(add(u, u), u);
        const w = mul(p, q);
        return wFirst ? add(sum(w), sum(v)) : add(sum(v), sum(w));
      };
      // d/dp = 3 + q, d/dq = 3 + p, dx = 2·(3 + 5x) + 5·(3 + 2x) = 21 + 20x. 3 elements: sums
      // the engine made; 512: also storage the backward pass reuses (ledger.ts, from 256 up).
      for (const n of [3, 512]) {
        const x = tensor(Array.from({ length: n }, (_, i) => (i % 7) + 1));
        expect(Array.from(grad(f, 0)(x).data)).toEqual(Array.from(x.data, (v) => 21 + 20 * v));
      }
    }
  });

  it("gives a parameter used several times its own gradient storage", () => {
    const x = tensor([1, 2]).requiresGrad_();
    const y = add(add(mul(x, 1), mul(x, 1)), add(mul(x, 1), x));
    sum(y).backward();
    expect(x.grad!.toArray()).toEqual([4, 4]);
    sum(mul(x, 3)).backward();
    expect(x.grad!.toArray()).toEqual([7, 7]);
  });
});
