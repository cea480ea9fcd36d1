import { describe, expect, it } from "vitest";
import { abs, add, cos, div, erf, exp, floor, isFinite, isNaN, log, neg, relu, rsqrt, sigmoid, sign, sin, sqrt, tanh, scalar, tensor, type Tensor } from "../../index.js";
import { uniform } from "../../../test/utils/elementwise.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  const EDGE = [0, -0, 1, -1, 0.5, -2.5, 1e4, -1e4, Infinity, -Infinity, NaN];

  const refSigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  const FLOAT_OPS: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
    ["exp", exp, Math.exp],
    ["log", log, Math.log],
    ["sqrt", sqrt, Math.sqrt],
    ["rsqrt", rsqrt, (x) => 1 / Math.sqrt(x)],
    ["sin", sin, Math.sin],
    ["cos", cos, Math.cos],
    ["tanh", tanh, Math.tanh],
    ["sigmoid", sigmoid, refSigmoid],
  ];
  const KEEP_OPS: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
    ["neg", neg, (x) => -x],
    ["abs", abs, Math.abs],
    ["sign", sign, (x) => (Number.isNaN(x) ? NaN : Math.sign(x))],
    ["relu", relu, (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0))],
    ["floor", floor, Math.floor],
  ];

  describe("unary float ops", () => {
    for (const [name, op, f] of FLOAT_OPS) {
      it(`${name}: shape, dtype and values (float32, float64, int32 → float32, edge values)`, () => {
        const v = uniform(24, 7, 0.1, 4);
        const x = tensor(v, [2, 3, 4], "float32");
        const out = op(x);
        expect(out.shape).toEqual([2, 3, 4]);
        expect(out.dtype).toBe("float32");
        expect(out).toBeAllclose(Array.from(x.data, f));
        const x64 = tensor(v, [2, 3, 4], "float64");
        expect(op(x64).dtype).toBe("float64");
        expect(op(x64)).toBeAllclose(Array.from(v, f), { rtol: 1e-12, atol: 0 });
        const xi = tensor([1, 2, 3], undefined, "int32");
        expect(op(xi).dtype).toBe("float32");
        expect(op(xi)).toBeAllclose([1, 2, 3].map(f));
        expect(op(tensor(EDGE, undefined, "float64"))).toBeAllclose(EDGE.map(f), { rtol: 1e-12, atol: 0 });
        expect(op(scalar(2)).shape).toEqual([]);
        expect(op(tensor(new Float32Array(0), [0, 3])).shape).toEqual([0, 3]);
      });
    }

    it("exp overflows to Infinity (float32 above ~88.7) and underflows to 0", () => {
      expect(exp(tensor([89, 1e4, -1e4, -Infinity]))).toBeAllclose([Infinity, Infinity, 0, 0]);
      expect(exp(tensor([89], undefined, "float64"))).toBeAllclose([Math.exp(89)], { rtol: 1e-12 });
    });

    it("sigmoid and tanh saturate at ±1e4 without NaN", () => {
      expect(sigmoid(tensor([1e4, -1e4, 0, Infinity, -Infinity]))).toBeAllclose([1, 0, 0.5, 1, 0], { rtol: 0, atol: 0 });
      expect(tanh(tensor([1e4, -1e4]))).toBeAllclose([1, -1], { rtol: 0, atol: 0 });
      expect(sigmoid(tensor([-100], undefined, "float64")).data[0]).toBeCloseTo(Math.exp(-100) / (1 + Math.exp(-100)), 50);
    });

    it("sigmoid agrees with its composition 1/(1+exp(-x))", () => {
      const x = tensor(uniform(40, 11, -30, 30), [40], "float64");
      expect(sigmoid(x)).toBeAllclose(div(1, add(1, exp(neg(x)))).data, { rtol: 1e-13, atol: 0 });
    });

    it("log of 0 and negatives, sqrt of negatives", () => {
      expect(log(tensor([0, -1]))).toBeAllclose([-Infinity, NaN]);
      expect(sqrt(tensor([-1]))).toBeAllclose([NaN]);
      expect(rsqrt(tensor([0]))).toBeAllclose([Infinity]);
    });

    it("erf: values in float32", () => {
      expect(erf(tensor([0, 0.5, 1, 2, -1, 5]))).toBeAllclose([0, 0.5204998778, 0.8427007929, 0.995322265, -0.8427007929, 0.9999999999984626]);
    });
  });

  describe("unary dtype-keeping ops", () => {
    for (const [name, op, f] of KEEP_OPS) {
      it(`${name}: float values with NaN/Infinity, int32 stays int32`, () => {
        expect(op(tensor(EDGE))).toBeAllclose(EDGE.map(f), { rtol: 0, atol: 0 });
        const xi = tensor([3, -2, 0, 7], [2, 2], "int32");
        const out = op(xi);
        expect(out.dtype).toBe("int32");
        expect(out.shape).toEqual([2, 2]);
        expect(Array.from(out.data)).toEqual([3, -2, 0, 7].map((v) => f(v) + 0)); // int32 has no -0
      });
    }

    it("relu keeps NaN and zeroes negatives", () => {
      expect(relu(tensor([NaN, -1e4, 1e4, -Infinity]))).toBeAllclose([NaN, 0, 1e4, 0]);
    });

    it("neg rejects bool tensors; the error names the op and shape", () => {
      expect(() => neg(tensor([true, false]))).toThrow("neg: negation of a bool tensor is not supported (shape [2]); use logicalNot");
    });
  });

  describe("isNaN / isFinite", () => {
    it("give bool tensors of the input shape", () => {
      const x = tensor([[NaN, 1], [Infinity, -Infinity]]);
      expect(isNaN(x).dtype).toBe("bool");
      expect(isNaN(x).toArray()).toEqual([[true, false], [false, false]]);
      expect(isFinite(x).toArray()).toEqual([[false, true], [false, false]]);
      expect(isFinite(tensor([1, 2], undefined, "int32")).toArray()).toEqual([true, true]);
      expect(isNaN(tensor([true])).toArray()).toEqual([false]);
    });
  });

  describe("unary errors", () => {
    it("names the op when the argument is not a tensor", () => {
      expect(() => exp(3 as unknown as Tensor)).toThrow("exp: expected 'x' to be a Tensor, got number");
      expect(() => relu([1] as unknown as Tensor)).toThrow(/^relu: expected 'x' to be a Tensor, got an array/);
    });
  });
});
