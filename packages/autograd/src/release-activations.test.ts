import { add, exp, Generator, matmul, mean, mul, pooledBytes, randn, relu, reshape, square, sub, sum, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { customVjp } from "./custom-vjp.js";
import { noGrad } from "./mode.js";
import { releaseActivations } from "./index.js";

// A two-layer regression big enough for the pool (results of ≥ 256 floats): x [32, 16] → h [32, 24] → [32, 8].
const rng = new Generator(5);
const x = randn([32, 16], rng);
const y = randn([32, 8], rng);
const w1Init = randn([16, 24], rng);
const w2Init = randn([24, 8], rng);

interface Net {
  w1: Tensor;
  w2: Tensor;
}

const net = (): Net => ({ w1: w1Init.clone().requiresGrad_(), w2: w2Init.clone().requiresGrad_() });

/** One forward pass; `seen` receives the hidden activations (to check what happens to them). */
function lossOf({ w1, w2 }: Net, seen?: Tensor[]): Tensor {
  const h = relu(matmul(x, w1));
  const z = exp(mul(matmul(h, w2), 0.1));
  seen?.push(h, z);
  return mean(square(sub(z, y)));
}

/** SGD outside the graph, as an optimizer does. */
function update({ w1, w2 }: Net): void {
  for (const w of [w1, w2]) {
    const g = w.grad!.data;
    for (let i = 0; i < g.length; i++) w.data[i] = w.data[i]! - 0.01 * g[i]!;
  }
}

/** `steps` training steps, each in `releaseActivations` or not; the losses and final weights. */
function train(steps: number, release: boolean): { losses: number[]; weights: number[] } {
  const model = net();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const body = (): number => {
      const loss = lossOf(model);
      const v = loss.item();
      loss.backward();
      return v;
    };
    losses.push(release ? releaseActivations(body, { replaceGradients: [model.w1, model.w2] }) : (((model.w1.grad = null), (model.w2.grad = null)), body()));
    update(model);
  }
  return { losses, weights: [...model.w1.data, ...model.w2.data] };
}

describe("releaseActivations", () => {
  it("gives the bits of steps without it", () => {
    const a = train(6, true);
    const b = train(6, false);
    expect(a.losses).toEqual(b.losses);
    expect(a.weights).toEqual(b.weights);
  });

  it("reuses the storage: later steps allocate no new arrays of the pooled sizes", () => {
    const model = net();
    const step = (): void =>
      void releaseActivations(() => lossOf(model).backward(), { replaceGradients: [model.w1, model.w2] });
    step();
    step();
    let fresh = 0;
    const AB = ArrayBuffer;
    globalThis.ArrayBuffer = new Proxy(AB, {
      construct: (t, args: unknown[], nt: new (...a: unknown[]) => object): object => {
        if (typeof args[0] === "number" && args[0] >= 1024) fresh += 1;
        return Reflect.construct(t, args, nt) as object;
      },
    });
    try {
      step();
    } finally {
      globalThis.ArrayBuffer = AB;
    }
    expect(fresh).toBe(0);
  });

  it("a forward result read after its step throws one clear error, through views and detached copies too", () => {
    const model = net();
    const seen: Tensor[] = [];
    const value = releaseActivations(() => {
      const loss = lossOf(model, seen);
      loss.backward();
      return loss.item();
    });
    expect(Number.isFinite(value)).toBe(true);
    const [h, z] = seen as [Tensor, Tensor];
    const message = /Tensor \(shape \[32, 24\], dtype 'float32'\): this forward result's storage was reused after the training step that made it ended \(releaseActivations/;
    expect(() => h.data).toThrow(message);
    expect(() => h.dataSync()).toThrow(message);
    expect(() => add(h, 1)).toThrow(message);
    expect(() => z.toArray()).toThrow(/shape \[32, 8\]/);
    expect(h.shape).toEqual([32, 24]); // shape and dtype stay readable
    expect(model.w1.grad!.size).toBe(16 * 24); // the gradients are not activations
    expect(Array.from(model.w1.grad!.data).every(Number.isFinite)).toBe(true);
  });

  it("poisons views and detached copies made inside the step", () => {
    const model = net();
    let view: Tensor | null = null;
    let detached: Tensor | null = null;
    releaseActivations(() => {
      const seen: Tensor[] = [];
      const loss = lossOf(model, seen);
      view = noGrad(() => reshape(seen[0]!, [24, 32]));
      detached = seen[0]!.detach();
      loss.backward();
    });
    expect(() => view!.data).toThrow(/storage was reused/);
    expect(() => detached!.data).toThrow(/storage was reused/);
  });

  it("keeps what backward did not consume: another graph, a retained graph, the result, noGrad results", () => {
    const model = net();
    const kept: Tensor[] = [];
    const expected: number[][] = [];
    const result = releaseActivations(() => {
      const seen: Tensor[] = [];
      const loss = lossOf(model, seen);
      const other = mul(seen[0]!, 2); // a second graph on h, never backwarded
      const retained = mul(matmul(x, model.w1), 3); // backwarded with retainGraph
      sum(retained).backward(undefined, { retainGraph: true });
      const cache = noGrad(() => mul(x, 5)); // module state made inside the step
      loss.backward();
      kept.push(seen[0]!, other, retained, cache);
      const out = seen[1]!; // fn's result: an activation backward consumed
      expected.push(...[seen[0]!, retained, cache, out, other].map((t) => Array.from(t.data)));
      return out;
    });
    // the next step takes what was released: what was kept must still hold its own values
    releaseActivations(() => lossOf(model).backward(), { replaceGradients: [model.w1, model.w2] });
    const [h, other, retained, cache] = kept as [Tensor, Tensor, Tensor, Tensor];
    expect(Array.from(h.data)).toEqual(expected[0]);
    expect(Array.from(retained.data)).toEqual(expected[1]);
    expect(Array.from(cache.data)).toEqual(expected[2]);
    expect(Array.from(result.data)).toEqual(expected[3]);
    expect(Array.from(other.data)).toEqual(expected[4]); // the graph nobody ran backward through
  });

  it("replaceGradients: the last gradients' storage is reused and the old tensors throw", () => {
    const model = net();
    releaseActivations(() => lossOf(model).backward());
    const old = model.w1.grad!;
    const before = Array.from(old.data);
    releaseActivations(() => lossOf(model).backward(), { replaceGradients: [model.w1, model.w2] });
    expect(() => old.data).toThrow(/storage was reused/);
    expect(model.w1.grad).not.toBe(old);
    expect(Array.from(model.w1.grad!.data)).toEqual(before); // same weights: the same gradient, fresh (not accumulated)
  });

  it("releases nothing when fn throws, and rejects an async fn and unknown options", () => {
    const model = net();
    const seen: Tensor[] = [];
    expect(() =>
      releaseActivations(() => {
        lossOf(model, seen).backward();
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(Array.from(seen[0]!.data).length).toBe(32 * 24);
    expect(() => releaseActivations(() => Promise.resolve(1))).toThrow(/releaseActivations: fn must be synchronous/);
    expect(() => releaseActivations(() => 1, { replaceGrads: [] } as never)).toThrow(/releaseActivations: unknown option 'replaceGrads'/);
  });

  it("custom ops: what forward saved is released only with keepsSaved: false", () => {
    // the test peeks at `saved` through `leaked` (which a keepsSaved: false op promises not to do)
    const run = (keepsSaved: boolean): { saved: Tensor; values: number[] } => {
      const leaked: Tensor[] = [];
      const xexp = customVjp(
        (t: Tensor) => {
          const e = exp(t);
          leaked.push(e);
          return { output: mul(t, e), saved: { e } };
        },
        ({ e }, g, [t]) => [mul(g, mul(e, add(t!, 1)))], // d(x·eˣ) = (x + 1)·eˣ
        "xexp",
        { keepsGradients: false, keepsSaved },
      );
      const w = x.clone().requiresGrad_();
      let values: number[] = [];
      releaseActivations(() => {
        sum(xexp(mul(w, 1))).backward();
        values = Array.from(leaked[0]!.data);
      });
      releaseActivations(() => sum(mul(exp(mul(w, 2)), 3)).backward()); // takes what was released
      return { saved: leaked[0]!, values };
    };
    const kept = run(true);
    expect(Array.from(kept.saved.data)).toEqual(kept.values);
    expect(() => run(false).saved.data).toThrow(/storage was reused/);
  });

  it("never releases a gradient left on a leaf, even when it is storage the forward made", () => {
    // a custom op whose backward returns what its forward saved: d(3·x) = 3 when the upstream is ones
    const triple = customVjp(
      (t: Tensor) => {
        const three = add(mul(t, 0), 3);
        return { output: mul(t, three), saved: three };
      },
      (three) => [three],
      "triple",
      { keepsGradients: false, keepsSaved: false },
    );
    const w = x.clone().requiresGrad_();
    releaseActivations(() => sum(triple(w)).backward());
    const model = net();
    releaseActivations(() => lossOf(model).backward()); // takes what the first step released
    expect(Array.from(w.grad!.data).every((v) => v === 3)).toBe(true);
  });

  it("keeps the pool flat over a long loop", () => {
    const model = net();
    const step = (): void => void releaseActivations(() => lossOf(model).backward(), { replaceGradients: [model.w1, model.w2] });
    for (let s = 0; s < 20; s++) step();
    const after20 = pooledBytes();
    for (let s = 0; s < 2000; s++) step();
    expect(pooledBytes()).toBeLessThanOrEqual(after20);
    expect(after20).toBeGreaterThan(0);
  });
});
