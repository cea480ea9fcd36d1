import { checkOptions, describeValue, type OptionKeys } from "@heed/tensor-core";
import { defaultCollate, type Collated } from "./collate.js";
import type { Dataset } from "./dataset.js";
import { BucketSampler, RandomBatchSampler, type BatchSampler } from "./sampler.js";

export interface DataLoaderOptions<T, B> {
  dataset: Dataset<T>;
  /** Examples per batch (default 1). */
  batchSize?: number;
  /** Shuffle every epoch; epoch k's order is a function of (seed, k) only. Default false. */
  shuffle?: boolean;
  seed?: number;
  /** Drop the last, smaller batch. Default false. */
  dropLast?: boolean;
  /** Turns a list of examples into a batch. Default: `defaultCollate` (stacks tensors). */
  collate?: (items: T[]) => B;
  /** Length of an example: batches then group examples of similar length (see `BucketSampler`). */
  bucketBy?: (item: T, index: number) => number;
  /** Pool size of the bucketing, in batches (default 50). */
  poolBatches?: number;
  /** A custom batch sampler; replaces batchSize/shuffle/dropLast/bucketBy. */
  batchSampler?: BatchSampler;
}

const LOADER_KEYS: OptionKeys<DataLoaderOptions<unknown, unknown>> = {
  dataset: true, batchSize: true, shuffle: true, seed: true, dropLast: true, collate: true, bucketBy: true, poolBatches: true, batchSampler: true,
};

/**
 * The values of the options, each checked here so that the error names `DataLoader` and the value
 * as given: a data set with `length` and `get`, a positive integer `batchSize`, boolean flags,
 * functions, an integer seed.
 */
function checkLoaderOptions<T, B>(o: Partial<DataLoaderOptions<T, B>>): void {
  const d = o.dataset as Partial<{ length: unknown; get: unknown }> | undefined;
  if (typeof d !== "object" || d === null || !Number.isInteger(d.length) || typeof d.get !== "function") {
    throw new Error(`DataLoader: 'dataset' must be a data set (an object with 'length' and 'get(i)', e.g. new ArrayDataset(items)), got ${describeValue(o.dataset)}`);
  }
  const positive = (key: "batchSize" | "poolBatches"): void => {
    const v: unknown = o[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 1)) throw new Error(`DataLoader: ${key} must be a positive integer, got ${describeValue(v)}`);
  };
  positive("batchSize");
  positive("poolBatches");
  for (const key of ["shuffle", "dropLast"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "boolean") throw new Error(`DataLoader: ${key} must be a boolean, got ${describeValue(o[key])}`);
  }
  for (const key of ["collate", "bucketBy"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "function") throw new Error(`DataLoader: ${key} must be a function, got ${describeValue(o[key])}`);
  }
  if (o.seed !== undefined && (typeof o.seed !== "number" || !Number.isInteger(o.seed))) throw new Error(`DataLoader: seed must be an integer, got ${describeValue(o.seed)}`);
  if (o.batchSampler !== undefined && typeof (o.batchSampler as Partial<BatchSampler> | null)?.batches !== "function") {
    throw new Error(`DataLoader: batchSampler must have a batches(epoch) method, got ${describeValue(o.batchSampler)}`);
  }
}

/**
 * Batches of a data set, iterable with `for…of` (torch.utils.data.DataLoader, synchronous).
 * Each `for…of` runs the next epoch (0, 1, 2, …); `setEpoch(k)` makes the next one epoch k,
 * and `epoch(k, startBatch)` gives epoch k directly, so a resumed run sees exactly the
 * batches it would have seen.
 *
 * @example
 * const loader = new DataLoader({ dataset: new TensorDataset(x, y), batchSize: 32, shuffle: true, seed: 1 });
 * for (const [xb, yb] of loader) { ... }         // epoch 0
 * loader.setEpoch(5);                            // resume: the next for…of is epoch 5
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: Dataset<T>;
  readonly sampler: BatchSampler;
  readonly collate: (items: T[]) => B;
  #nextEpoch = 0;
  #length: number | undefined;

  constructor(loaderOptions: DataLoaderOptions<T, B>) {
    const options = checkOptions("DataLoader", loaderOptions, LOADER_KEYS as OptionKeys<DataLoaderOptions<T, B>>);
    const { dataset, batchSize = 1, shuffle = false, seed = 0, dropLast = false, bucketBy, poolBatches } = options;
    checkLoaderOptions(options);
    this.dataset = dataset;
    this.collate = options.collate ?? ((items: T[]) => defaultCollate(items) as B);
    if (options.batchSampler !== undefined) {
      this.sampler = options.batchSampler;
    } else if (bucketBy !== undefined) {
      const lengths = Array.from({ length: dataset.length }, (_, i) => bucketBy(dataset.get(i), i));
      this.sampler = new BucketSampler(lengths, { batchSize, shuffle, seed, dropLast, poolBatches });
    } else {
      this.sampler = new RandomBatchSampler(dataset.length, { batchSize, shuffle, seed, dropLast });
    }
  }

  /** The epoch the next `for…of` will run. */
  get nextEpoch(): number {
    return this.#nextEpoch;
  }

  /** Make the next `for…of` run epoch `epoch` (for resuming a run). */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`DataLoader.setEpoch: epoch must be a non-negative integer, got ${describeValue(epoch)}`);
    this.#nextEpoch = epoch;
  }

  /** Number of batches per epoch. */
  get length(): number {
    this.#length ??= this.sampler.batches(0).length;
    return this.#length;
  }

  /** The index batches of epoch `epoch`. */
  indexBatches(epoch: number): number[][] {
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`DataLoader.indexBatches: epoch must be a non-negative integer, got ${describeValue(epoch)}`);
    return this.sampler.batches(epoch);
  }

  /**
   * The batches of epoch `epoch`, starting at batch `startBatch` (to resume mid-epoch). Both are
   * checked when called, not when the first batch is read.
   */
  epoch(epoch: number, startBatch = 0): Generator<B, void, undefined> {
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`DataLoader.epoch: epoch must be a non-negative integer, got ${describeValue(epoch)}`);
    if (!Number.isInteger(startBatch) || startBatch < 0) throw new Error(`DataLoader.epoch: startBatch must be a non-negative integer, got ${describeValue(startBatch)}`);
    return this.#batches(epoch, startBatch);
  }

  *#batches(epoch: number, startBatch: number): Generator<B, void, undefined> {
    const batches = this.sampler.batches(epoch);
    for (let b = startBatch; b < batches.length; b++) {
      yield this.collate(batches[b]!.map((i) => this.dataset.get(i)));
    }
  }

  [Symbol.iterator](): Iterator<B> {
    const epoch = this.#nextEpoch++;
    return this.epoch(epoch);
  }
}
