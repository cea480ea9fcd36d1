import {
  add, Generator, gelu, logSumExp, matmul, mean, mul, neg, oneHot, randint, randn, sub, sum, tensor, type Tensor,
} from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { gradCheck, noGrad, zeroGrad } from "@heed/autograd";

const [B, E, Hd, C] = [6, 4, 5, 3]; // batch, input features, hidden units, classes

/** Softmax cross-entropy written from primitives: mean over the batch of −Σ onehot·(z − logΣexp z). */
function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const logp = sub(logits, logSumExp(logits, -1, true));
  return neg(mean(sum(mul(oneHot(labels, C, logits.dtype), logp), -1)));
}

function mlpLoss(x: Tensor, labels: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor {
  const h = gelu(add(matmul(x, w1), b1)); // [B, Hd]
  return crossEntropy(add(matmul(h, w2), b2), labels); // logits [B, C]
}

describe("a small MLP with softmax cross-entropy", () => {
  const rng = new Generator(7);
  const x = randn([B, E], rng, "float64");
  const labels = randint(0, C, [B], rng);
  const params = [randn([E, Hd], rng, "float64"), randn([Hd], rng, "float64"), randn([Hd, C], rng, "float64"), randn([C], rng, "float64")];

  it("passes gradCheck with respect to every parameter and the input", () => {
    const r = gradCheck((xx, w1, b1, w2, b2) => mlpLoss(xx, labels, w1, b1, w2, b2), [x, ...params]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it("trains with PyTorch habits: zeroGrad, backward, update under noGrad", () => {
    const ps = params.map((p) => noGrad(() => mul(p, 0.5)).requiresGrad_());
    const [w1, b1, w2, b2] = ps as [Tensor, Tensor, Tensor, Tensor];
    const losses: number[] = [];
    for (let step = 0; step < 60; step++) {
      zeroGrad(ps);
      const loss = mlpLoss(x, labels, w1, b1, w2, b2);
      loss.backward();
      losses.push(loss.item());
      for (const p of ps) {
        const g = p.grad!.data;
        for (let i = 0; i < g.length; i++) p.data[i] = p.data[i]! - 0.5 * g[i]!; // in-place SGD, outside the graph
      }
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
    expect(tensor(losses).shape).toEqual([60]);
  });
});
