import { describe, expect, it } from "vitest";
import { Generator, greater, maskedFill, tensor, where, type Tensor } from "../../index.js";
import { refBroadcast, uniform } from "../../../test/utils/elementwise.js";
import { forEachBackend } from "../../../test/utils/backends.js";

// Every test below runs once per registered backend (js reference, wasm).
forEachBackend(() => {
  function mask(shape: number[], seed: number): Tensor {
    const n = shape.reduce((p, d) => p * d, 1);
    return tensor(Array.from(uniform(n, seed), (v) => v > 0), shape);
  }
  function values(shape: number[], seed: number): Tensor {
    const n = shape.reduce((p, d) => p * d, 1);
    return tensor(uniform(n, seed), shape, "float32");
  }
  const pick = (c: number, a: number, b: number): number => (c !== 0 ? a : b);

  describe("where", () => {
    it("selects with the three inputs broadcast together", () => {
      const cases: [number[], number[], number[]][] = [
        [[2, 3], [2, 3], [2, 3]],
        [[2, 3], [], []],
        [[3], [2, 3], [2, 1]],
        [[2, 1, 4], [3, 1], [4]],
        [[], [2, 2], [2, 2]],
        [[1, 4], [0, 1], [4]],
        [[], [], []],
      ];
      cases.forEach(([sc, sa, sb], k) => {
        const c = mask(sc, k);
        const a = values(sa, 10 + k);
        const b = values(sb, 20 + k);
        const ref = refBroadcast([c, a, b], pick);
        const out = where(c, a, b);
        expect(out.shape, JSON.stringify([sc, sa, sb])).toEqual(ref.shape);
        expect(out.dtype).toBe("float32");
        expect(out).toBeAllclose(ref.data, { rtol: 0, atol: 0 });
      });
    });

    it("agrees with the reference on random broadcast shapes", () => {
      const rng = new Generator(9);
      for (let trial = 0; trial < 100; trial++) {
        const rank = rng.nextInt(0, 4);
        const base = Array.from({ length: rank }, () => rng.nextInt(1, 4));
        const shape = (): number[] => base.slice(rng.nextInt(0, rank + 1)).map((d) => (rng.nextFloat() < 0.4 ? 1 : d));
        const [c, a, b] = [mask(shape(), trial), values(shape(), 100 + trial), values(shape(), 200 + trial)];
        expect(where(c, a, b)).toBeAllclose(refBroadcast([c, a, b], pick).data, { rtol: 0, atol: 0 });
      }
    });

    it("takes JS numbers and booleans, promotes a and b, and keeps NaN/-Infinity values", () => {
      const x = tensor([-1, 2, NaN, -Infinity]);
      expect(where(greater(x, 0), x, 0)).toBeAllclose([0, 2, 0, 0]);
      expect(where(tensor([true, false, true, false]), x, -Infinity)).toBeAllclose([-1, -Infinity, NaN, -Infinity]);
      const i = tensor([1, 2], undefined, "int32");
      expect(where(tensor([true, false]), i, 5).dtype).toBe("int32");
      expect(where(tensor([true, false]), i, tensor([0.5, 0.5])).toArray()).toEqual([1, 0.5]);
      expect(where(tensor([true, false]), i, tensor([0.5, 0.5], undefined, "float64")).dtype).toBe("float64");
      expect(where(true, tensor([1, 2]), 0).toArray()).toEqual([1, 2]);
      expect(where(tensor([true, false]), true, false).toArray()).toEqual([true, false]);
    });

    it("requires a bool condition", () => {
      expect(() => where(tensor([1, 0]), 1, 2)).toThrow("where: condition must be a bool tensor, got dtype 'float32' (shape [2])");
      expect(() => where(1, 1, 2)).toThrow("where: condition must be a bool tensor or a boolean, got the number 1");
    });

    it("names all three shapes when they do not broadcast", () => {
      expect(() => where(tensor([true, false]), tensor([1, 2, 3]), 0)).toThrow(
        "where: shapes [2] (condition), [3] (a) and [] (b) cannot be broadcast together",
      );
    });
  });

  describe("maskedFill", () => {
    it("fills where the mask is true, broadcasting the mask to x (causal attention mask)", () => {
      const [B, H, L] = [2, 2, 3];
      const scores = values([B, H, L, L], 3);
      const causal = tensor(Array.from({ length: L * L }, (_, k) => k % L > Math.floor(k / L)), [L, L]);
      const out = maskedFill(scores, causal, -Infinity);
      expect(out.shape).toEqual([B, H, L, L]);
      expect(out.dtype).toBe("float32");
      expect(out).toBeAllclose(refBroadcast([causal, scores], (m, s) => (m !== 0 ? -Infinity : s)).data, { rtol: 0, atol: 0 });
    });

    it("keeps x's dtype and rejects values that dtype cannot hold", () => {
      const i = tensor([1, 2, 3], undefined, "int32");
      const m = tensor([true, false, true]);
      expect(maskedFill(i, m, 7).toArray()).toEqual([7, 2, 7]);
      expect(maskedFill(i, m, 7).dtype).toBe("int32");
      expect(maskedFill(tensor([true, true, true]), m, false).toArray()).toEqual([false, true, false]);
      expect(maskedFill(tensor([1, 2, 3], undefined, "float64"), m, 0.1).data[0]).toBe(0.1);
      expect(() => maskedFill(i, m, 0.5)).toThrow("maskedFill: value 0.5 cannot be stored in x of dtype 'int32' (shape [3])");
      expect(() => maskedFill(i, m, -Infinity)).toThrow(/^maskedFill: value -Infinity/);
    });

    it("checks the mask dtype and that it broadcasts to x (not the other way round)", () => {
      const x = tensor([[1, 2], [3, 4]]);
      expect(() => maskedFill(x, tensor([1, 0]), 0)).toThrow("maskedFill: mask must be a bool tensor, got [2] (float32) for x [2,2] (float32)");
      expect(() => maskedFill(tensor([1, 2]), tensor([[true], [false]]), 0)).toThrow("maskedFill: mask shape [2,1] cannot be broadcast to x shape [2]");
      expect(() => maskedFill(x, tensor([true, false, true]), 0)).toThrow("maskedFill: mask shape [3] cannot be broadcast to x shape [2,2]");
    });
  });
});
