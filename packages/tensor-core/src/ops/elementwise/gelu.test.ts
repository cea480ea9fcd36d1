import { describe, expect, it } from "vitest";
import { add, div, erf, gelu, mul, pow, tanh, tensor, type Tensor } from "../../index.js";
import { uniform } from "../../../test/utils/elementwise.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  // Float64 references with an erf computed from its Maclaurin series (|z| <= 3 here, 80 terms suffice)
  function erfRef(z: number): number {
    let term = z;
    let sum = z;
    for (let n = 1; n < 80; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  const exact = (x: number): number => 0.5 * x * (1 + erfRef(x / Math.SQRT2));
  const approx = (x: number): number => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

  describe("gelu", () => {
    it("exact (default): shape, dtype and values", () => {
      const v = uniform(24, 4, -4, 4);
      const x = tensor(v, [2, 3, 4], "float32");
      const out = gelu(x);
      expect(out.shape).toEqual([2, 3, 4]);
      expect(out.dtype).toBe("float32");
      expect(out).toBeAllclose(Array.from(x.data, exact));
      // the reference's 1 + erf cancels for negative x (the kernel uses erfc), hence rtol 1e-9
      expect(gelu(tensor(v, [24], "float64"))).toBeAllclose(Array.from(v, exact), { rtol: 1e-9, atol: 1e-15 });
      expect(gelu(tensor([-1, 0, 1]))).toBeAllclose([-0.15865525393145707, 0, 0.8413447460685429]);
    });

    it('approximate: "tanh" uses the tanh formula', () => {
      const v = uniform(24, 5, -4, 4);
      expect(gelu(tensor(v, [24], "float64"), { approximate: "tanh" })).toBeAllclose(Array.from(v, approx), { rtol: 1e-12, atol: 1e-15 });
      expect(gelu(tensor(v, [24], "float64"), { approximate: "none" })).toBeAllclose(Array.from(v, exact), { rtol: 1e-9, atol: 1e-15 });
    });

    it("agrees with its composition from primitives (the oracle for the fused kernel)", () => {
      const x = tensor(uniform(64, 8, -6, 6), [8, 8], "float64");
      const half = mul(x, 0.5);
      const composedExact = mul(half, add(1, erf(div(x, Math.SQRT2))));
      expect(gelu(x)).toBeAllclose(composedExact.data, { rtol: 1e-9, atol: 1e-15 });
      const u = mul(add(x, mul(0.044715, pow(x, 3))), Math.sqrt(2 / Math.PI));
      expect(gelu(x, { approximate: "tanh" })).toBeAllclose(mul(half, add(1, tanh(u))).data, { rtol: 1e-9, atol: 1e-15 });
      const x32 = tensor(uniform(64, 9, -6, 6), [64], "float32");
      expect(gelu(x32)).toBeAllclose(mul(mul(x32, 0.5), add(1, erf(div(x32, Math.SQRT2)))).data);
    });

    it("saturates at ±1e4, propagates NaN, int32 gives float32, rank 0 and size 0", () => {
      for (const approximate of ["none", "tanh"] as const) {
        expect(gelu(tensor([1e4, -1e4, Infinity, NaN]), { approximate })).toBeAllclose([1e4, 0, Infinity, NaN]);
      }
      const i = gelu(tensor([1, -1], undefined, "int32"));
      expect(i.dtype).toBe("float32");
      expect(i).toBeAllclose([exact(1), exact(-1)]);
      expect(gelu(tensor(2)).shape).toEqual([]);
      expect(gelu(tensor(new Float32Array(0), [3, 0])).shape).toEqual([3, 0]);
    });

    it("rejects an unknown approximation and non-tensors", () => {
      expect(() => gelu(tensor([1]), { approximate: "fast" as "tanh" })).toThrow('gelu: approximate must be "none" or "tanh", got "fast"');
      expect(() => gelu(1 as unknown as Tensor)).toThrow("gelu: expected 'x' to be a Tensor, got number");
    });
  });
});
