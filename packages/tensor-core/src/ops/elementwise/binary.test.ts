import { describe, expect, it } from "vitest";
import { add, div, Generator, maximum, minimum, mul, pow, scalar, sub, tensor, type Tensor } from "../../index.js";
import { refBroadcast, uniform } from "../../../test/utils/elementwise.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  type Op = (a: Tensor, b: Tensor) => Tensor;
  const OPS: [string, Op, (a: number, b: number) => number][] = [
    ["add", add, (a, b) => a + b],
    ["sub", sub, (a, b) => a - b],
    ["mul", mul, (a, b) => a * b],
    ["div", div, (a, b) => a / b],
    ["maximum", maximum, Math.max],
    ["minimum", minimum, Math.min],
  ];

  // [a shape, b shape]: same, scalar, trailing block, leading block, general strided, size 1 and 0, rank 0
  const SHAPES: [number[], number[]][] = [
    [[2, 3, 4], [2, 3, 4]],
    [[2, 3, 4], []],
    [[], [2, 3, 4]],
    [[2, 3, 4], [4]],
    [[2, 3, 4], [2, 3, 1]],
    [[2, 1, 4], [3, 1]],
    [[3, 1, 5], [1, 4, 1]],
    [[2, 1, 3, 1], [1, 4, 1, 5]],
    [[1, 1], [1]],
    [[1], [5]],
    [[], []],
    [[0, 3], [3]],
    [[2, 0], [1]],
    [[0], []],
  ];

  function make(shape: number[], seed: number, dtype: "float32" | "float64" = "float32"): Tensor {
    const n = shape.reduce((p, d) => p * d, 1);
    return tensor(uniform(n, seed), shape, dtype);
  }

  describe("binary arithmetic", () => {
    for (const [name, op, f] of OPS) {
      it(`${name}: shape and values against a float64 reference for every broadcast pattern`, () => {
        SHAPES.forEach(([sa, sb], k) => {
          const a = make(sa, 10 + k);
          const b = make(sb, 100 + k);
          const ref = refBroadcast([a, b], f);
          const out = op(a, b);
          expect(out.shape, `${name} ${JSON.stringify([sa, sb])}`).toEqual(ref.shape);
          expect(out.dtype).toBe("float32");
          expect(out).toBeAllclose(ref.data);
        });
      });
    }

    it("agrees with the reference on random broadcast shapes (rank 0-4, dims 1-3)", () => {
      const rng = new Generator(5);
      for (let trial = 0; trial < 200; trial++) {
        const rank = rng.nextInt(0, 5);
        const base = Array.from({ length: rank }, () => rng.nextInt(1, 4));
        const pick = (): number[] => base.slice(rng.nextInt(0, rank + 1)).map((d) => (rng.nextFloat() < 0.4 ? 1 : d));
        const [sa, sb] = [pick(), pick()];
        const a = make(sa, trial, "float64");
        const b = make(sb, 1000 + trial, "float64");
        const out = sub(a, b);
        const ref = refBroadcast([a, b], (x, y) => x - y);
        expect(out.shape, JSON.stringify([sa, sb])).toEqual(ref.shape);
        expect(out).toBeAllclose(ref.data, { rtol: 0, atol: 0 });
      }
    });

    it("covers the hot training patterns [B,L,E] + [E] and [B,L,E] * [B,L,1]", () => {
      const [B, L, E] = [2, 5, 8];
      const x = make([B, L, E], 1);
      const bias = make([E], 2);
      const scale = make([B, L, 1], 3);
      expect(add(x, bias)).toBeAllclose(refBroadcast([x, bias], (p, q) => p + q).data);
      expect(mul(x, scale)).toBeAllclose(refBroadcast([x, scale], (p, q) => p * q).data);
      expect(mul(scale, x)).toBeAllclose(refBroadcast([scale, x], (p, q) => p * q).data);
    });

    it("does not mutate its inputs", () => {
      const a = tensor([1, 2, 3]);
      const b = tensor([4, 5, 6]);
      add(a, b);
      expect(a.toArray()).toEqual([1, 2, 3]);
      expect(b.toArray()).toEqual([4, 5, 6]);
    });
  });

  describe("binary type promotion", () => {
    const i32 = (v: number[]): Tensor => tensor(v, undefined, "int32");

    it("promotes bool < int32 < float32 < float64", () => {
      expect(add(i32([1, 2]), tensor([0.5, 0.5])).dtype).toBe("float32");
      expect(add(i32([1, 2]), i32([3, 4])).dtype).toBe("int32");
      expect(add(tensor([true]), i32([3])).dtype).toBe("int32");
      expect(add(tensor([1], undefined, "float32"), tensor([1], undefined, "float64")).dtype).toBe("float64");
      expect(mul(tensor([true, false]), tensor([1.5, 2])).toArray()).toEqual([1.5, 0]);
    });

    it("gives JS numbers the dtype of the tensor beside them", () => {
      expect(add(tensor([1], undefined, "float64"), 0.1).dtype).toBe("float64");
      expect(add(0.1, tensor([1], undefined, "float64")).data[0]).toBe(1.1);
      expect(add(i32([1]), 2).dtype).toBe("int32");
      expect(add(i32([1]), 0.5).toArray()).toEqual([1.5]);
      expect(add(tensor([true]), 2).dtype).toBe("int32");
      expect(add(2, 3).dtype).toBe("float32");
      expect(add(2, 3).shape).toEqual([]);
    });

    it("divides truly: int32 / int32 gives float32", () => {
      const out = div(i32([1, 3, -7]), i32([2, 2, 2]));
      expect(out.dtype).toBe("float32");
      expect(out.toArray()).toEqual([0.5, 1.5, -3.5]);
      expect(div(tensor([true]), tensor([true])).dtype).toBe("float32");
    });

    it("wraps int32 products modulo 2^32 like C", () => {
      expect(mul(i32([65536, 46341, -3]), i32([65536, 46341, 7])).toArray()).toEqual([0, -2147479015, -21]);
      expect(add(i32([2147483647]), 1).toArray()).toEqual([-2147483648]);
    });

    it("does bool arithmetic as logic (add = or, mul = and) and rejects bool - bool", () => {
      const t = tensor([true, true, false, false]);
      const u = tensor([true, false, true, false]);
      expect(add(t, u).dtype).toBe("bool");
      expect(add(t, u).toArray()).toEqual([true, true, true, false]);
      expect(mul(t, u).toArray()).toEqual([true, false, false, false]);
      expect(maximum(t, u).toArray()).toEqual([true, true, true, false]);
      expect(() => sub(t, u)).toThrow(/^sub: .*bool.*\[4\] and \[4\]/);
    });
  });

  describe("binary edge cases", () => {
    it("propagates NaN through maximum and minimum in either position", () => {
      const a = tensor([NaN, 1, -Infinity, NaN]);
      const b = tensor([1, NaN, 0, -Infinity]);
      expect(maximum(a, b)).toBeAllclose([NaN, NaN, 0, NaN]);
      expect(minimum(a, b)).toBeAllclose([NaN, NaN, -Infinity, NaN]);
    });

    it("follows IEEE for infinities, NaN and division by zero", () => {
      expect(add(tensor([Infinity, -Infinity, NaN]), tensor([-Infinity, 1, 1]))).toBeAllclose([NaN, -Infinity, NaN]);
      expect(div(tensor([1, -1, 0]), 0)).toBeAllclose([Infinity, -Infinity, NaN]);
      expect(mul(tensor([1e4, -1e4]), 1e4)).toBeAllclose([1e8, -1e8]);
      expect(mul(tensor([1e30]), 1e30)).toBeAllclose([Infinity]); // float32 overflow
      expect(mul(tensor([1e30], undefined, "float64"), 1e30)).toBeAllclose([1e60]);
    });

    it("pow: negative bases with integer exponents work, non-integer exponents give NaN", () => {
      expect(pow(tensor([-2, -2, 4, 0, 9]), tensor([3, 0.5, -0.5, -1, 0.5]))).toBeAllclose([-8, NaN, 0.5, Infinity, 3]);
      expect(pow(2, tensor([0, 1, 10]))).toBeAllclose([1, 2, 1024]);
      expect(pow(tensor([2, 3], undefined, "int32"), 2).toArray()).toEqual([4, 9]);
      expect(pow(tensor([2, 3], undefined, "int32"), 2).dtype).toBe("int32");
      expect(pow(tensor([2, 3], undefined, "int32"), -0.5).dtype).toBe("float32");
      expect(() => pow(tensor([2, 3], undefined, "int32"), tensor([1, -1], undefined, "int32"))).toThrow(
        "pow: integers to negative integer powers are not allowed (base [2] (int32), exponent [2] (int32) contains -1)",
      );
    });

    it("handles rank 0 with rank 0 and size-0 dimensions", () => {
      const s = add(scalar(2), scalar(3));
      expect(s.shape).toEqual([]);
      expect(s.item()).toBe(5);
      const e = mul(tensor(new Float32Array(0), [0, 3]), tensor([1, 2, 3]));
      expect(e.shape).toEqual([0, 3]);
      expect(e.size).toBe(0);
    });
  });

  describe("binary errors", () => {
    it("names the op and both shapes when shapes do not broadcast", () => {
      const a = tensor([[1, 2, 3], [4, 5, 6]]);
      const b = tensor([1, 2, 3, 4]);
      for (const [name, op] of OPS) {
        expect(() => op(a, b)).toThrow(`${name}: shapes [2,3] and [4] cannot be broadcast together`);
      }
      expect(() => pow(a, b)).toThrow(/^pow: shapes \[2,3\] and \[4\]/);
    });

    it("rejects arguments that are not tensors, numbers or booleans", () => {
      expect(() => add("1" as unknown as Tensor, 1)).toThrow("add: expected 'a' to be a Tensor, number or boolean, got string");
      expect(() => mul(tensor([1]), [1, 2] as unknown as Tensor)).toThrow(/^mul: expected 'b' .* got an array/);
    });
  });
});
