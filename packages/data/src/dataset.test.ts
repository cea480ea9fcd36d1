import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { ArrayDataset, TensorDataset, randomSplit } from "./dataset.js";

describe("TensorDataset", () => {
  it("returns row i of every tensor as copies", () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = tensor([7, 8, 9], undefined, "int32");
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(xi!.shape).toEqual([2]);
    expect(xi!.toArray()).toEqual([3, 4]);
    expect(yi!.shape).toEqual([]);
    expect(yi!.dtype).toBe("int32");
    expect(yi!.item()).toBe(8);
    xi!.data[0] = 100;
    expect(x.data[2]).toBe(3);
  });

  it("rejects mismatched first dimensions and bad indices", () => {
    expect(() => new TensorDataset(tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow("TensorDataset: tensors must share their first dimension (shapes: [2,1], [3])");
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => new TensorDataset(tensor([1, 2]), [3, 4] as never)).toThrow("TensorDataset: argument 1 must be a Tensor with the examples along axis 0, got an array [3, 4] (for a list of items use new ArrayDataset(items))");
    expect(() => new TensorDataset(tensor([1]), tensor(1))).toThrow(/need a first dimension/);
    expect(() => new TensorDataset(tensor([1, 2])).get(2)).toThrow("TensorDataset.get: index 2 is out of range for a data set of length 2");
  });
});

describe("randomSplit", () => {
  const ds = new ArrayDataset(Array.from({ length: 10 }, (_, i) => i));
  const items = (s: { length: number; get(i: number): number }): number[] => Array.from({ length: s.length }, (_, i) => s.get(i));

  it("splits by fractions into disjoint parts covering everything, remainder to the first parts", () => {
    const parts = randomSplit(ds, [0.45, 0.45, 0.1], 3);
    expect(parts.map((p) => p.length)).toEqual([5, 4, 1]);
    const all = parts.flatMap(items).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("is a function of the seed", () => {
    const a = randomSplit(ds, [7, 3], 1).map(items);
    const b = randomSplit(ds, [7, 3], 1).map(items);
    const c = randomSplit(ds, [7, 3], 2).map(items);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("rejects sizes that are neither lengths nor fractions", () => {
    expect(() => randomSplit(ds, [5, 4])).toThrow("randomSplit: sizes [5, 4] must be lengths summing to the data set length 10 or fractions summing to 1");
  });
});
