import { checkOptions, Generator, type OptionKeys } from "@heed/tensor-core";
import { permutation } from "./dataset.js";

/** Produces the index batches of one epoch; the result must be a pure function of `epoch`. */
export interface BatchSampler {
  batches(epoch: number): number[][];
}

/** The generator for epoch `epoch` of a run seeded with `seed`: same (seed, epoch), same stream. */
export function epochGenerator(seed: number, epoch: number): Generator {
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epochGenerator: epoch must be a non-negative integer, got ${epoch}`);
  return new Generator(`heed-data:${seed}:${epoch}`);
}

function chunk(indices: readonly number[], batchSize: number, dropLast: boolean): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += batchSize) {
    const b = indices.slice(i, i + batchSize);
    if (b.length === batchSize || !dropLast) out.push(b);
  }
  return out;
}

function checkBatchSize(name: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${name}: batchSize must be a positive integer, got ${batchSize}`);
}

export interface RandomSamplerOptions {
  batchSize: number;
  shuffle?: boolean;
  seed?: number;
  dropLast?: boolean;
}

const SAMPLER_KEYS: OptionKeys<RandomSamplerOptions> = { batchSize: true, shuffle: true, seed: true, dropLast: true };
const BUCKET_KEYS: OptionKeys<BucketSamplerOptions> = { ...SAMPLER_KEYS, poolBatches: true };

/** Sequential or shuffled batches of 0..n-1; epoch k's order depends only on (seed, k). */
export class RandomBatchSampler implements BatchSampler {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;

  constructor(
    readonly n: number,
    options: RandomSamplerOptions,
  ) {
    const { batchSize, shuffle = false, seed = 0, dropLast = false } = checkOptions("RandomBatchSampler", options, SAMPLER_KEYS);
    checkBatchSize("RandomBatchSampler", batchSize);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  batches(epoch: number): number[][] {
    const order = this.shuffle ? permutation(this.n, epochGenerator(this.seed, epoch)) : Array.from({ length: this.n }, (_, i) => i);
    return chunk(order, this.batchSize, this.dropLast);
  }
}

export interface BucketSamplerOptions extends RandomSamplerOptions {
  /** Batches per pool: a pool of `poolBatches·batchSize` shuffled examples is sorted by length, then cut. Default 50. */
  poolBatches?: number;
}

/**
 * Length bucketing: batches hold examples of similar length, so little compute is spent
 * on padding. With `shuffle`, epoch k shuffles all indices with the (seed, k) generator,
 * sorts each pool of `poolBatches·batchSize` examples by length (stable), cuts the pools
 * into batches and shuffles the batch order; without it, all examples are sorted by length.
 * At most one batch (the last pool's remainder) is smaller than `batchSize`; `dropLast` drops it.
 *
 * @example
 * const sampler = new BucketSampler(words.map((w) => w.length), { batchSize: 128, shuffle: true, seed: 1 });
 */
export class BucketSampler implements BatchSampler {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  readonly poolBatches: number;
  readonly lengths: readonly number[];

  constructor(lengths: readonly number[], options: BucketSamplerOptions) {
    const { batchSize, shuffle = false, seed = 0, dropLast = false, poolBatches = 50 } = checkOptions("BucketSampler", options, BUCKET_KEYS);
    checkBatchSize("BucketSampler", batchSize);
    if (!Number.isInteger(poolBatches) || poolBatches < 1) throw new Error(`BucketSampler: poolBatches must be a positive integer, got ${poolBatches}`);
    lengths.forEach((len, i) => {
      if (!Number.isFinite(len)) throw new Error(`BucketSampler: length of example ${i} is ${len}, expected a finite number`);
    });
    this.lengths = lengths.slice();
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.poolBatches = poolBatches;
  }

  batches(epoch: number): number[][] {
    const n = this.lengths.length;
    const byLength = (a: number, b: number): number => this.lengths[a]! - this.lengths[b]!;
    if (!this.shuffle) {
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => byLength(a, b) || a - b);
      return chunk(order, this.batchSize, this.dropLast);
    }
    const rng = epochGenerator(this.seed, epoch);
    const order = permutation(n, rng);
    const pool = this.poolBatches * this.batchSize;
    const out: number[][] = [];
    for (let start = 0; start < n; start += pool) {
      const part = order.slice(start, start + pool).sort(byLength); // Array.prototype.sort is stable
      out.push(...chunk(part, this.batchSize, this.dropLast));
    }
    return permutation(out.length, rng).map((i) => out[i]!);
  }
}
