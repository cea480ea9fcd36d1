import { describe, expect, it } from "vitest";
import { BucketSampler, RandomBatchSampler } from "./sampler.js";

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("RandomBatchSampler", () => {
  it("is sequential without shuffle, with dropLast", () => {
    expect(new RandomBatchSampler(5, { batchSize: 2 }).batches(0)).toEqual([[0, 1], [2, 3], [4]]);
    expect(new RandomBatchSampler(5, { batchSize: 2, dropLast: true }).batches(3)).toEqual([[0, 1], [2, 3]]);
  });

  it("shuffles as a pure function of (seed, epoch)", () => {
    const s = new RandomBatchSampler(20, { batchSize: 4, shuffle: true, seed: 7 });
    const e0 = s.batches(0);
    expect(sorted(e0.flat())).toEqual(range(20));
    expect(s.batches(1)).not.toEqual(e0);
    expect(new RandomBatchSampler(20, { batchSize: 4, shuffle: true, seed: 7 }).batches(1)).toEqual(s.batches(1));
    expect(new RandomBatchSampler(20, { batchSize: 4, shuffle: true, seed: 8 }).batches(0)).not.toEqual(e0);
  });

  it("rejects a bad batch size", () => {
    expect(() => new RandomBatchSampler(3, { batchSize: 0 })).toThrow("RandomBatchSampler: batchSize must be a positive integer, got 0");
  });
});

describe("BucketSampler", () => {
  const lengths = range(100).map((i) => (i * 37) % 23);

  it("without shuffle sorts all examples by length (stable)", () => {
    const b = new BucketSampler([3, 1, 2, 1], { batchSize: 2 }).batches(0);
    expect(b).toEqual([[1, 3], [2, 0]]);
  });

  it("covers every example once, batches are length-homogeneous within pools", () => {
    const s = new BucketSampler(lengths, { batchSize: 8, shuffle: true, seed: 1, poolBatches: 100 });
    const batches = s.batches(0);
    expect(sorted(batches.flat())).toEqual(range(100));
    expect(batches.filter((b) => b.length < 8)).toHaveLength(1);
    // one pool holds everything: each batch is a contiguous run of the sorted lengths
    const spread = batches.map((b) => Math.max(...b.map((i) => lengths[i]!)) - Math.min(...b.map((i) => lengths[i]!)));
    expect(Math.max(...spread)).toBeLessThanOrEqual(2);
  });

  it("is deterministic per (seed, epoch), varies between epochs, honours dropLast", () => {
    const opts = { batchSize: 8, shuffle: true, seed: 3, poolBatches: 2 };
    const a = new BucketSampler(lengths, opts);
    expect(new BucketSampler(lengths, opts).batches(4)).toEqual(a.batches(4));
    expect(a.batches(5)).not.toEqual(a.batches(4));
    const d = new BucketSampler(lengths, { ...opts, dropLast: true }).batches(0);
    expect(d.every((b) => b.length === 8)).toBe(true);
    expect(d.flat()).toHaveLength(96);
  });
});
