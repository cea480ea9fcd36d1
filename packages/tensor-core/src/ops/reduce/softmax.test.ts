import { describe, expect, it } from "vitest";
import { Generator, logSoftmax, randn, softmax, tensor, zeros } from "../../index.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  /** float64 softmax / logSoftmax of `x` along `axis`, computed by gathering each row explicitly. */
  function ref(shape: readonly number[], data: ArrayLike<number>, axis: number, log: boolean): Float64Array {
    const R = shape[axis]!;
    const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outer = data.length / (R * inner);
    const out = new Float64Array(data.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const idx = Array.from({ length: R }, (_, r) => (o * R + r) * inner + j);
        const row = idx.map((k) => data[k]!);
        const m = Math.max(...row);
        const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
        idx.forEach((k, r) => (out[k] = log ? row[r]! - m - Math.log(z) : Math.exp(row[r]! - m) / z));
      }
    }
    return out;
  }

  describe.each([
    ["softmax", softmax, false],
    ["logSoftmax", logSoftmax, true],
  ] as const)("%s", (name, f, log) => {
    const x = randn([3, 4, 5], new Generator(4));

    it.each([0, 1, 2, -1, -3])("matches a float64 reference along axis %d", (axis) => {
      const y = f(x, axis);
      expect(y.shape).toEqual([3, 4, 5]);
      expect(y.dtype).toBe("float32");
      expect(y).toBeAllclose(ref(x.shape, x.data, (axis + 3) % 3, log));
    });

    it("defaults to the last axis and keeps float64", () => {
      expect(f(x)).toBeAllclose(ref(x.shape, x.data, 2, log));
      const d = tensor(new Float64Array([1, 2, 3]), [3]);
      expect(f(d).dtype).toBe("float64");
      expect(f(d)).toBeAllclose(ref([3], [1, 2, 3], 0, log), { rtol: 1e-12, atol: 0 });
    });

    it("is finite for ±1e4 and handles -Infinity entries", () => {
      const t = tensor([[1e4, 1e4 - 1, -1e4], [-1e4, -1e4, -1e4], [0, -Infinity, 1]]);
      const y = f(t);
      expect(Array.from(y.data).slice(0, 6).every(Number.isFinite)).toBe(true);
      expect(y).toBeAllclose(ref(t.shape, t.data, 1, log));
      expect(y.data[7]).toBe(log ? -Infinity : 0);
    });

    it("gives NaN for a row that is all -Infinity (as PyTorch) and for NaN / +Infinity rows", () => {
      const t = tensor([[-Infinity, -Infinity], [NaN, 1], [Infinity, 0], [0, 0]]);
      const y = f(t, 1).toArray() as number[][];
      expect(y.slice(0, 3).flat().every(Number.isNaN)).toBe(true);
      expect(y[3]).toEqual(log ? [-Math.LN2, -Math.LN2].map((v) => Math.fround(v)) : [0.5, 0.5]);
    });

    it("handles rank 0, size-1, size-0 and int inputs", () => {
      expect(f(tensor(3)).item()).toBe(log ? 0 : 1);
      expect(f(tensor(3), 0).shape).toEqual([]);
      expect(f(tensor([[5], [6]])).toArray()).toEqual(log ? [[0], [0]] : [[1], [1]]);
      expect(f(zeros([2, 0])).shape).toEqual([2, 0]);
      expect(f(zeros([0, 3])).shape).toEqual([0, 3]);
      const i = f(tensor([0, 0], undefined, "int32"));
      expect(i.dtype).toBe("float32");
      expect(i).toBeAllclose(log ? [-Math.LN2, -Math.LN2] : [0.5, 0.5]);
    });

    it("rejects a bad axis with its name and shape", () => {
      expect(() => f(x, 3)).toThrow(`${name}: axis 3 is out of range for dimension count 3 of a tensor with shape [3,4,5]`);
      expect(() => f(tensor(1), 2)).toThrow(`${name}: axis 2 is out of range for a rank-0 tensor`);
    });
  });
});
