import { add, closeStorageScope, exp, Generator, matmul, mul, openStorageScope, randn, reshape, slice, sum, takeFloat32, Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { customVjp } from "./custom-vjp.js";
import { grad } from "./index.js";

// Gradients' storage is reused within a backward pass (ledger.ts) from 256 floats up; these
// graphs are large enough for it. The oracle is the same pass with reuse off: backward inside
// an already open scope uses none.
function withoutReuse<T>(f: () => T): T {
  const scope = openStorageScope();
  try {
    return f();
  } finally {
    closeStorageScope(scope);
  }
}

/** Intermediates meeting many ways: a sum used three times, views, slices, a matmul, broadcasting. */
function tangled(x: Tensor, w: Tensor): Tensor {
  const p = mul(x, 2);
  const q = exp(mul(x, 0.01));
  const u = add(p, q); // add's rule passes one gradient to both p and q
  const v = add(add(u, u), mul(u, q));
  const m = reshape(matmul(reshape(v, [16, 32]), w), [512]); // a view of the product
  const halves = add(slice(m, [0], [256]), slice(m, [256], [512])); // slices' backward pads
  const t = add(mul(halves, halves), slice(mul(p, q), [128], [384]));
  return add(sum(t), sum(mul(m, u)));
}

describe("engine: storage reuse within a pass", () => {
  const rng = new Generator(3);
  const x0 = randn([512], rng);
  const w0 = randn([32, 32], rng);

  it("gives the bits of a pass without reuse", () => {
    const run = (): Tensor[] => {
      const x = x0.clone().requiresGrad_();
      const w = w0.clone().requiresGrad_();
      tangled(x, w).backward();
      return [x.grad!, w.grad!];
    };
    const [dx, dw] = run();
    const [rx, rw] = withoutReuse(run);
    expect(Array.from(dx!.data)).toEqual(Array.from(rx!.data));
    expect(Array.from(dw!.data)).toEqual(Array.from(rw!.data));
    const g = grad((x: Tensor) => tangled(x, w0), 0)(x0);
    expect(Array.from(g.data)).toEqual(Array.from(rx!.data));
  });

  it("reuses storage: the pass allocates fewer arrays", () => {
    /** New storage of 256 floats or more made while `f` runs (typed arrays of a length, array buffers). */
    const count = (f: () => void): number => {
      let n = 0;
      const [F32, AB] = [Float32Array, ArrayBuffer];
      const counted = <T extends object>(original: T, big: (size: unknown) => boolean): T =>
        new Proxy(original, {
          construct: (target, args: unknown[], newTarget: new (...a: unknown[]) => object): object => {
            if (big(args[0])) n += 1;
            return Reflect.construct(target as new (...a: unknown[]) => object, args, newTarget);
          },
        });
      globalThis.Float32Array = counted(F32, (a) => typeof a === "number" && a >= 256);
      globalThis.ArrayBuffer = counted(AB, (a) => typeof a === "number" && a >= 1024);
      try {
        f();
      } finally {
        globalThis.Float32Array = F32;
        globalThis.ArrayBuffer = AB;
      }
      return n;
    };
    const pass = (): void => {
      const x = x0.clone().requiresGrad_();
      tangled(x, w0.clone().requiresGrad_()).backward();
    };
    expect(takeFloat32(256)).toBeInstanceOf(Float32Array);
    const reused = count(pass);
    const fresh = count(() => withoutReuse(pass));
    expect(reused).toBeLessThan(fresh);
  });

  it("never overwrites what a custom backward that may keep gradients saw", () => {
    const kept: { t: Tensor; copy: number[] }[] = [];
    const keep = (t: Tensor): Tensor => (kept.push({ t, copy: Array.from(t.data) }), t);
    const spy = customVjp(
      (a: Tensor) => ({ output: mul(a, 1), saved: null }),
      (_, g) => [keep(mul(keep(g), 3))], // keeps both the gradient it got and the one it returns
      "spy",
    );
    const x = x0.clone().requiresGrad_();
    const w = w0.clone().requiresGrad_();
    tangled(spy(exp(mul(x, 0.5))), spy(mul(w, 1.5))).backward(); // later rules allocate after the spy's
    expect(kept.length).toBe(4);
    for (const { t, copy } of kept) expect(Array.from(t.data)).toEqual(copy);
  });

  it("reuses what a custom backward that keeps nothing returned, with the same bits", () => {
    const triple = customVjp((a: Tensor) => ({ output: mul(a, 3), saved: null }), (_, g) => [mul(g, 3)], "triple", { keepsGradients: false });
    const run = (): number[] => {
      const x = x0.clone().requiresGrad_();
      tangled(triple(triple(x)), w0).backward();
      return Array.from(x.grad!.data);
    };
    expect(run()).toEqual(withoutReuse(run));
  });

  it("rejects a keepsGradients that is not a boolean", () => {
    expect(() => customVjp((a: Tensor) => ({ output: a, saved: null }), (_, g) => [g], "f", { keepsGradients: "no" as unknown as boolean })).toThrow(
      "customVjp(f): expected 'keepsGradients' to be a boolean, got",
    );
    expect(() => customVjp((a: Tensor) => ({ output: a, saved: null }), (_, g) => [g], "f", { keeps: false } as never)).toThrow("customVjp(f): unknown option 'keeps'");
  });
});
