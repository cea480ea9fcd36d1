import { afterAll, describe, expect, it } from "vitest";
import { randn } from "../../create.js";
import { generator } from "../../random.js";
import { fusedKernelFor, getBackend, referenceFusedKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

describe("wasm linearForward against the reference", () => {
  it.each([[1, 1, 1], [3, 5, 7], [17, 9, 33], [130, 128, 64]])("rows %d, in %d, out %d, with and without bias", (rows, inF, outF) => {
    expect(setBackend("wasm")).toBe(true);
    const r = (n: number, s: number): Float32Array => randn([n], generator(s)).data as Float32Array;
    for (const bias of [r(outF, 3), null]) {
      const args = { x: r(rows * inF, 1), weight: r(outF * inF, 2), bias, rows, inFeatures: inF, outFeatures: outF };
      const want = referenceFusedKernel("linearForward")(args);
      const got = fusedKernelFor("linearForward")(args);
      expect(got).toBeInstanceOf(Float32Array);
      expect(got.length).toBe(rows * outF);
      for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i]! - want[i]!) <= 1e-5 + 1e-4 * Math.abs(want[i]!))) expect.fail(`index ${i}: ${got[i]} vs ${want[i]}`);
    }
  });
});
