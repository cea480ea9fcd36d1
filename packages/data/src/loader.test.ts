import { tensor, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { ArrayDataset, TensorDataset } from "./dataset.js";
import { DataLoader } from "./loader.js";

const x = tensor(Array.from({ length: 10 }, (_, i) => [i, 10 * i]));
const y = tensor(Array.from({ length: 10 }, (_, i) => i), undefined, "int32");

function firstColumn(batches: Iterable<Tensor[]>): number[][] {
  return [...batches].map(([xb]) => Array.from({ length: xb!.shape[0]! }, (_, r) => xb!.data[r * 2]!));
}

describe("DataLoader", () => {
  it("stacks tensor rows with the default collate", () => {
    const loader = new DataLoader({ dataset: new TensorDataset(x, y), batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(([xb, yb]) => [xb!.shape, yb!.shape])).toEqual([[[4, 2], [4]], [[4, 2], [4]], [[2, 2], [2]]]);
    expect(batches[2]![0]!.toArray()).toEqual([[8, 80], [9, 90]]);
    expect(batches[2]![1]!.dtype).toBe("int32");
  });

  it("each for…of is the next epoch; epoch k is a function of (seed, k)", () => {
    const make = (): DataLoader<Tensor[]> => new DataLoader({ dataset: new TensorDataset(x, y), batchSize: 3, shuffle: true, seed: 11, dropLast: true });
    const a = make();
    const e0 = firstColumn(a);
    const e1 = firstColumn(a);
    expect(e0).not.toEqual(e1);
    expect(e0.every((b) => b.length === 3)).toBe(true);
    expect(a.nextEpoch).toBe(2);
    // a fresh run resumed at epoch 1 sees exactly epoch 1's batches
    const b = make();
    b.setEpoch(1);
    expect(firstColumn(b)).toEqual(e1);
    expect(firstColumn(make().epoch(0))).toEqual(e0);
    // mid-epoch resume
    expect(firstColumn(make().epoch(1, 2))).toEqual(e1.slice(2));
  });

  it("uses a custom collate and length bucketing", () => {
    const words = ["a", "abcdef", "ab", "abcdefg", "abc", "abcde", "b", "bc"];
    const loader = new DataLoader({
      dataset: new ArrayDataset(words),
      batchSize: 2,
      shuffle: true,
      seed: 2,
      bucketBy: (w) => w.length,
      collate: (items: string[]) => items,
    });
    const batches = [...loader];
    expect(batches.flat().sort()).toEqual([...words].sort());
    // one pool (default 50 batches): the batches are consecutive runs of the length-sorted words
    const lens = batches.map((b) => b.map((w) => w.length)).sort((p, q) => p[0]! - q[0]!);
    expect(lens).toEqual([[1, 1], [2, 2], [3, 5], [6, 7]]);
  });

  it("rejects a negative epoch", () => {
    const loader = new DataLoader({ dataset: new ArrayDataset([1, 2]) });
    expect(() => loader.setEpoch(-1)).toThrow("DataLoader.setEpoch: epoch must be a non-negative integer, got number -1");
    expect(() => loader.setEpoch("3" as never)).toThrow("DataLoader.setEpoch: epoch must be a non-negative integer, got string '3'");
  });

  it("epoch(k, startBatch) checks both when called, naming DataLoader.epoch (was at the first batch, as epochGenerator, and never without shuffle)", () => {
    const shuffled = new DataLoader({ dataset: new ArrayDataset([1, 2, 3]), batchSize: 2, shuffle: true });
    const plain = new DataLoader({ dataset: new ArrayDataset([1, 2, 3]), batchSize: 2 });
    for (const loader of [shuffled, plain]) {
      expect(() => loader.epoch(-1)).toThrow("DataLoader.epoch: epoch must be a non-negative integer, got number -1");
      expect(() => loader.epoch(1.5)).toThrow("DataLoader.epoch: epoch must be a non-negative integer, got number 1.5");
      expect(() => loader.epoch(0, -1)).toThrow("DataLoader.epoch: startBatch must be a non-negative integer, got number -1");
      expect(() => loader.indexBatches(-1)).toThrow("DataLoader.indexBatches: epoch must be a non-negative integer, got number -1");
    }
    expect([...plain.epoch(0, 1)].map((b) => b.toArray())).toEqual([[3]]);
  });
});
