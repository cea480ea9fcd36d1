import { afterAll, describe, expect, it } from "vitest";
import { getBackend, setBackend } from "../backend/registry.js";
import { randn } from "../create.js";
import { matmul } from "../ops/linalg/index.js";
import { add, relu, reluGrad } from "../ops/elementwise/index.js";
import { generator } from "../random.js";
import { Tensor } from "../tensor.js";
import { dropoutReference } from "./dropout.js";
import { linearReluDropoutReference, reluDropoutBackwardReference } from "./linear-relu-dropout.js";

const r32 = (n: number, s: number): Float32Array => randn([n], generator(s)).data as Float32Array;

const initial = getBackend();
afterAll(() => void setBackend(initial));

describe("linearReluDropout kernels (reference)", () => {
  setBackend("js"); // the oracle ops below are the reference kernels too
  const [rows, inF, outF] = [9, 6, 11];
  const x = r32(rows * inF, 1);
  const weight = r32(outF * inF, 2);
  const bias = r32(outF, 3);
  const h = add(matmul(new Tensor(x, [rows, inF]), new Tensor(weight, [outF, inF]), { transB: true }), new Tensor(bias, [outF]));

  it("forward is dropout(relu(x·Wᵀ + b)) with the dropout kernel's mask, bit for bit", () => {
    for (const p of [0, 0.25, 0.9]) {
      const y = linearReluDropoutReference({ x, weight, bias, rows, inFeatures: inF, outFeatures: outF, p, seed: 4 });
      const want = relu(h).data as Float32Array;
      expect([...y]).toEqual([...(p > 0 ? dropoutReference({ x: want, p, seed: 4 }) : want)]);
    }
  });

  it("backward is reluGrad(dropout(g), h): [y > 0]·g/(1 − p)", () => {
    const g = r32(rows * outF, 5);
    for (const p of [0, 0.25]) {
      const y = linearReluDropoutReference({ x, weight, bias, rows, inFeatures: inF, outFeatures: outF, p, seed: 4 });
      const dh = reluDropoutBackwardReference({ y, gradOut: g, p });
      const gd = p > 0 ? dropoutReference({ x: g, p, seed: 4 }) : g;
      const want = reluGrad(new Tensor(gd, [rows, outF]), h).data;
      for (let i = 0; i < dh.length; i++) expect(dh[i]! === want[i]!, `element ${i}: ${dh[i]} vs ${want[i]}`).toBe(true);
    }
  });

  it("keeps the float64 precision of float64 inputs", () => {
    const x64 = Float64Array.from(x);
    const y = linearReluDropoutReference({ x: x64, weight: Float64Array.from(weight), bias: Float64Array.from(bias), rows, inFeatures: inF, outFeatures: outF, p: 0.5, seed: 1 });
    expect(y).toBeInstanceOf(Float64Array);
    expect(reluDropoutBackwardReference({ y, gradOut: new Float64Array(y.length).fill(1), p: 0.5 }).every((v, i) => v === (y[i]! > 0 ? 2 : 0))).toBe(true);
  });
});
