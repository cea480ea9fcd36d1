import { describeValue, Generator, Tensor, formatShape } from "@heed/tensor-core";

/** A random-access collection of examples (torch.utils.data.Dataset). */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

function checkIndex(name: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new Error(`${name}.get: index ${index} is out of range for a data set of length ${length}`);
  }
}

/** A data set over a plain array. */
export class ArrayDataset<T> implements Dataset<T> {
  constructor(readonly items: readonly T[]) {}

  get length(): number {
    return this.items.length;
  }

  get(index: number): T {
    checkIndex("ArrayDataset", index, this.items.length);
    return this.items[index]!;
  }
}

/**
 * Rows of tensors that share their first dimension (torch TensorDataset): example `i` is
 * the tuple of row `i` of every tensor.
 *
 * @example
 * const ds = new TensorDataset(x, y); // x [N, F], y [N, 1]
 * const [xi, yi] = ds.get(0);         // [F], [1]
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error("TensorDataset: needs at least one tensor");
    tensors.forEach((t, i) => {
      const given: unknown = t;
      if (!(given instanceof Tensor)) throw new Error(`TensorDataset: argument ${i} must be a Tensor with the examples along axis 0, got ${describeValue(given)} (for a list of items use new ArrayDataset(items))`);
    });
    const shapes = tensors.map((t) => formatShape(t.shape)).join(", ");
    for (const t of tensors) {
      if (t.rank === 0) throw new Error(`TensorDataset: tensors need a first dimension (shapes: ${shapes})`);
      if (t.shape[0] !== tensors[0]!.shape[0]) {
        throw new Error(`TensorDataset: tensors must share their first dimension (shapes: ${shapes})`);
      }
    }
    this.tensors = tensors;
    this.length = tensors[0]!.shape[0]!;
  }

  get(index: number): Tensor[] {
    checkIndex("TensorDataset", index, this.length);
    return this.tensors.map((t) => {
      const row = t.shape.slice(1);
      const size = t.size / this.length;
      return new Tensor(t.data.slice(index * size, (index + 1) * size), row, t.dtype);
    });
  }
}

/** The examples of `dataset` at `indices` (torch Subset). */
export class Subset<T> implements Dataset<T> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: readonly number[],
  ) {}

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex("Subset", index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }
}

/** A permutation of 0..n-1 (Fisher–Yates) drawn from `rng`. */
export function permutation(n: number, rng: Generator): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(0, i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * Split a data set into non-overlapping random subsets (torch.utils.data.random_split).
 * `sizes` are either lengths summing to `dataset.length`, or fractions summing to 1 (each
 * part gets floor(fraction·n) and the remainder goes round-robin from the first part).
 * The same seed always gives the same split.
 *
 * @example
 * const [train, valid] = randomSplit(ds, [0.9, 0.1], 42);
 */
export function randomSplit<T>(dataset: Dataset<T>, sizes: readonly number[], seed = 0): Subset<T>[] {
  if (typeof seed !== "number" || !Number.isInteger(seed)) throw new Error(`randomSplit: seed must be an integer, got ${describeValue(seed)}`);
  const n = dataset.length;
  const total = sizes.reduce((a, b) => a + b, 0);
  let lengths: number[];
  if (sizes.every((s) => Number.isInteger(s) && s >= 0) && total === n) {
    lengths = sizes.slice();
  } else if (sizes.every((s) => s >= 0 && s <= 1) && Math.abs(total - 1) < 1e-9) {
    lengths = sizes.map((f) => Math.floor(f * n));
    let rest = n - lengths.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % lengths.length, rest--) lengths[i]! += 1;
  } else {
    throw new Error(`randomSplit: sizes [${sizes.join(", ")}] must be lengths summing to the data set length ${n} or fractions summing to 1`);
  }
  const perm = permutation(n, new Generator(seed));
  const parts: Subset<T>[] = [];
  let offset = 0;
  for (const len of lengths) {
    parts.push(new Subset(dataset, perm.slice(offset, offset + len)));
    offset += len;
  }
  return parts;
}
