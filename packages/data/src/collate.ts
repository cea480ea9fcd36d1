import { Tensor, allocate, formatShape, shapesEqual } from "@heed/tensor-core";

/**
 * Stack same-shaped tensors along a new first axis: B tensors of shape [*] give [B, *].
 * (Written on the storage directly so that data loading needs no op dispatch.)
 */
export function stackRows(items: readonly Tensor[], name = "stackRows"): Tensor {
  const first = items[0];
  if (first === undefined) throw new Error(`${name}: needs at least one tensor`);
  for (const t of items) {
    if (t.dtype !== first.dtype || !shapesEqual(t.shape, first.shape)) {
      throw new Error(
        `${name}: all tensors must have the same shape and dtype (got ${items.map((x) => `${formatShape(x.shape)} ${x.dtype}`).join(", ")})`,
      );
    }
  }
  const data = allocate(first.dtype, items.length * first.size);
  items.forEach((t, i) => data.set(t.data, i * first.size));
  return new Tensor(data, [items.length, ...first.shape], first.dtype);
}

/** What `defaultCollate` returns for a batch of `T`. */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly number[]
        ? Tensor
        : T extends readonly unknown[]
          ? { [K in keyof T]: Collated<T[K]> }
          : T extends object
            ? { [K in keyof T]: Collated<T[K]> }
            : unknown;

function isNumberArray(x: unknown): x is readonly number[] {
  return Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === "number");
}

/**
 * PyTorch's default_collate: tensors are stacked ([B, *]), numbers become a float32 [B]
 * tensor, booleans a bool [B] tensor, arrays of numbers a float32 [B, n] tensor, strings
 * a string[]; tuples and objects are collated field by field (`[x, y]` → `[X, Y]`).
 *
 * @example
 * defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]); // [Tensor [2,2], Tensor [2]]
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  return collate(batch, "defaultCollate") as Collated<T>;
}

function collate(batch: readonly unknown[], path: string): unknown {
  const first = batch[0];
  if (first === undefined) throw new Error(`${path}: cannot collate an empty batch`);
  const kinds = new Set(batch.map((x) => (x instanceof Tensor ? "tensor" : Array.isArray(x) ? "array" : typeof x)));
  if (kinds.size !== 1) throw new Error(`${path}: batch mixes ${[...kinds].join(" and ")} items`);
  if (first instanceof Tensor) return stackRows(batch as Tensor[], path);
  if (typeof first === "number") return new Tensor(Float32Array.from(batch as number[]), [batch.length], "float32");
  if (typeof first === "boolean") return new Tensor(Uint8Array.from(batch as boolean[], (b) => (b ? 1 : 0)), [batch.length], "bool");
  if (typeof first === "string") return batch.slice();
  if (Array.isArray(first)) {
    if (batch.every(isNumberArray)) {
      const n = first.length;
      if (batch.some((row) => row.length !== n)) {
        throw new Error(`${path}: number arrays of different lengths (${batch.map((r) => r.length).join(", ")}); pad them first (padSequence / padSequences)`);
      }
      return new Tensor(Float32Array.from(batch.flat()), [batch.length, n], "float32");
    }
    const arity = first.length;
    const rows = batch as readonly unknown[][];
    if (rows.some((r) => r.length !== arity)) throw new Error(`${path}: tuples of different lengths (${rows.map((r) => r.length).join(", ")})`);
    return Array.from({ length: arity }, (_, k) => collate(rows.map((r) => r[k]), `${path}[${k}]`));
  }
  if (typeof first === "object" && first !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = collate(batch.map((x) => (x as Record<string, unknown>)[key]), `${path}.${key}`);
    return out;
  }
  throw new Error(`${path}: cannot collate items of type ${typeof first}`);
}
