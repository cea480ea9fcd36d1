import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { generator } from "../../random.js";
import { fusedKernelFor, getBackend, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

describe("wasm Adam step against the reference", () => {
  const arrays = (n: number, seed: number) => {
    const r = (s: number, scale = 1): Float32Array => Float32Array.from(randn([n], generator(seed + s)).data, (x) => x * scale);
    return { param: r(0), grad: r(1, 0.1), m: r(2, 0.01), v: Float32Array.from(r(3, 0.01), (x) => x * x) };
  };
  const variants = [
    { name: "Adam", decay: 1, l2: 0, maximize: false },
    { name: "Adam, L2 0.1, maximize", decay: 1, l2: 0.1, maximize: true },
    { name: "AdamW", decay: 1 - 1e-3 * 0.01, l2: 0, maximize: false },
  ];
  for (const vt of variants) {
    it.each([[1], [3], [4], [7], [129]])(`${vt.name} at n = %d: param, m and v within float32 rounding`, (n) => {
      expect(setBackend("wasm")).toBe(true);
      const step = 3;
      const hyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** step), bc2Sqrt: Math.sqrt(1 - 0.999 ** step), ...vt, vmax: null };
      const a = arrays(n, 7);
      const b = arrays(n, 7);
      referenceFusedKernel("adamStep")({ ...a, ...hyper });
      fusedKernelFor("adamStep")({ ...b, ...hyper });
      for (const key of ["param", "m", "v"] as const) {
        const [x, y] = [a[key], b[key]];
        for (let i = 0; i < n; i++) if (!(Math.abs(x[i]! - y[i]!) <= 2e-6 * Math.abs(x[i]!) + 1e-9)) expect.fail(`${key}[${i}]: wasm ${y[i]}, reference ${x[i]}`);
      }
      expect(b.param).not.toEqual(arrays(n, 7).param); // it moved
    });
  }

  it.each(variants)("adamStepMulti, $name: the bits of one adamStep per parameter (small and chunked sizes)", (vt) => {
    expect(setBackend("wasm")).toBe(true);
    const hyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** 2), bc2Sqrt: Math.sqrt(1 - 0.999 ** 2), ...vt };
    // the last three: calls of up to 2¹⁷ floats ([100000], [40000, 5], [131073] alone)
    const sizes = [1, 3, 4, 7, 129, 100000, 40000, 5, 131073];
    const one = sizes.map((n, i) => arrays(n, 20 + i));
    const many = sizes.map((n, i) => arrays(n, 20 + i));
    for (const a of one) fusedKernelFor("adamStep")({ ...a, ...hyper, vmax: null });
    fusedKernelFor("adamStepMulti")({ params: many.map((a) => a.param), grads: many.map((a) => a.grad), ms: many.map((a) => a.m), vs: many.map((a) => a.v), vmaxes: null, ...hyper });
    // a plain loop, not toEqual: deep equality over ~10⁶ floats took most of a minute on a loaded machine
    const firstDifference = (x: Float32Array, y: Float32Array): number => {
      for (let k = 0; k < Math.max(x.length, y.length); k++) if (!Object.is(x[k], y[k])) return k;
      return -1;
    };
    for (let i = 0; i < sizes.length; i++) {
      for (const key of ["param", "m", "v"] as const) expect(firstDifference(many[i]![key], one[i]![key]), `first differing ${key} of parameter ${i}`).toBe(-1);
      expect(firstDifference(many[i]!.param, arrays(sizes[i]!, 20 + i).param), `parameter ${i} moved`).not.toBe(-1);
    }
  });

  it("adamStepMulti with amsgrad or float64 parameters: each parameter as adamStep does it", () => {
    expect(setBackend("wasm")).toBe(true);
    const hyper = { beta1: 0.9, beta2: 0.99, eps: 1e-8, stepSize: 0.01, bc2Sqrt: 0.3, decay: 1, l2: 0, maximize: false };
    const f64 = (n: number, seed: number) => Object.fromEntries(Object.entries(arrays(n, seed)).map(([k, a]) => [k, Float64Array.from(a)])) as Record<"param" | "grad" | "m" | "v", Float64Array>;
    const [a, b] = [f64(5, 40), f64(5, 40)];
    referenceFusedKernel("adamStep")({ ...a, ...hyper, vmax: null });
    fusedKernelFor("adamStepMulti")({ params: [b.param], grads: [b.grad], ms: [b.m], vs: [b.v], vmaxes: null, ...hyper });
    expect(Array.from(b.param)).toEqual(Array.from(a.param));
    const [c, d] = [arrays(6, 50), arrays(6, 50)];
    const [vc, vd] = [new Float32Array(6).fill(0.5), new Float32Array(6).fill(0.5)];
    fusedKernelFor("adamStep")({ ...c, ...hyper, vmax: vc });
    fusedKernelFor("adamStepMulti")({ params: [d.param], grads: [d.grad], ms: [d.m], vs: [d.v], vmaxes: [vd], ...hyper });
    expect([Array.from(d.param), Array.from(vd)]).toEqual([Array.from(c.param), Array.from(vc)]);
  });
});
