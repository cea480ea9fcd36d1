import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { generator } from "../../random.js";
import { fusedKernelFor, getBackend, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const r32 = (n: number, s: number): Float32Array => randn([n], generator(s)).data as Float32Array;
const close = (got: Float32Array, want: Float32Array): void => {
  expect(got).toBeInstanceOf(Float32Array);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i]! - want[i]!) <= 1e-5 + 1e-4 * Math.abs(want[i]!))) expect.fail(`index ${i}: ${got[i]} vs ${want[i]}`);
};

describe("wasm linearReluDropout / reluDropoutBackward against the reference", () => {
  it.each([[1, 1, 1], [3, 5, 7], [17, 9, 33], [130, 128, 512]])("rows %d, in %d, out %d, p 0 / 0.1 / 0.5, with and without bias", (rows, inF, outF) => {
    expect(setBackend("wasm")).toBe(true);
    for (const bias of [r32(outF, 3), null]) {
      for (const p of [0, 0.1, 0.5]) {
        const args = { x: r32(rows * inF, 1), weight: r32(outF * inF, 2), bias, rows, inFeatures: inF, outFeatures: outF, p, seed: 77 };
        const want = referenceFusedKernel("linearReluDropout")(args);
        const got = fusedKernelFor("linearReluDropout")(args);
        close(got, want);
        // the mask and relu agree exactly: zeros where the reference has zeros
        for (let i = 0; i < want.length; i++) if ((want[i] === 0) !== (got[i] === 0)) expect.fail(`index ${i}: ${got[i]} vs ${want[i]}`);
        const g = r32(rows * outF, 4);
        close(fusedKernelFor("reluDropoutBackward")({ y: got, gradOut: g, p }), referenceFusedKernel("reluDropoutBackward")({ y: got, gradOut: g, p }));
      }
    }
  });

  it("gives the reference bits on the same y (the backward is exact)", () => {
    expect(setBackend("wasm")).toBe(true);
    const y = r32(1001, 5);
    const g = r32(1001, 6);
    expect([...fusedKernelFor("reluDropoutBackward")({ y, gradOut: g, p: 0.3 })]).toEqual([...referenceFusedKernel("reluDropoutBackward")({ y, gradOut: g, p: 0.3 })]);
  });

  it("falls back to the reference for float64", () => {
    expect(setBackend("wasm")).toBe(true);
    const args = { x: Float64Array.from([1, -2]), weight: Float64Array.from([1, 1, 2, -1]), bias: Float64Array.from([0.5, 0]), rows: 1, inFeatures: 2, outFeatures: 2, p: 0, seed: 0 };
    expect([...fusedKernelFor("linearReluDropout")(args)]).toEqual([0, 4]);
  });
});
