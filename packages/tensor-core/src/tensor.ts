import { allocate, dtypeOfArray, isFloat, type DataArray, type DType } from "./dtype.js";
import { getAutogradEngine, type BackwardOptions } from "./engine-hook.js";
import { describeValue } from "./options.js";
import { formatShape, sizeOf, type Shape } from "./shape.js";
import { isRetired, retiredStorageError } from "./storage-pool.js";
import type { TensorMethods } from "./tensor-methods.js";
/** A nested JS array of numbers or booleans, as returned by `toArray()`. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An N-d array: contiguous row-major storage in a typed array, a shape and a dtype.
 * Tensors are immutable values for the ops (every op returns a new tensor); the storage
 * may be written in place by optimizers through `data`. Memory is managed by the
 * garbage collector: there is no dispose().
 *
 * Shape letters used across Heed: B batch, L query length, S key length, H heads,
 * E embedding, D head dim.
 *
 * The chainable op methods (`x.add(y)`, `x.matmul(w)`, …) are declared and attached in
 * tensor-methods.ts, so that this module imports no op and every op can build a Tensor.
 */
const STORAGE = Symbol("storage");

// The chain methods, attached to the prototype by tensor-methods.ts (the package entry imports it).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- declaration merging
export interface Tensor extends TensorMethods {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class Tensor {
  /** The class name errors show (`describeValue`): set explicitly, since bundlers and minifiers rename classes. */
  static readonly typeName: string = "Tensor";
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The storage, read through `data` (a symbol key: an own property that equality checks and inspectors see). */
  readonly [STORAGE]: DataArray;
  /** Accumulated gradient (filled by backward() in @heed/autograd). */
  grad: Tensor | null = null;
  /** The autograd node that produced this tensor; opaque to tensor-core. */
  gradFn: object | null = null;
  #requiresGrad = false;

  /** Low-level constructor: `data.length` must equal the product of `shape`. Prefer `tensor()`. */
  constructor(data: DataArray, shape: Shape, dtype?: DType) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint8Array)) {
      const hint = Array.isArray(data) ? "; for a JavaScript array use tensor(values, shape, dtype)" : "";
      throw new Error(`Tensor: expected the data as a Float32Array, Float64Array, Int32Array or Uint8Array (bool), got ${describeValue(data)}${hint}`);
    }
    dtype ??= dtypeOfArray(data);
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new Error(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${n}`);
    }
    if (dtypeOfArray(data) !== dtype) {
      throw new Error(`Tensor: storage ${data.constructor.name} does not hold dtype '${dtype}'`);
    }
    this[STORAGE] = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
  }

  /**
   * Flat row-major storage (Float32Array, Float64Array, Int32Array or Uint8Array for bool).
   * Throws if the storage was handed back for reuse (`retiredStorageError`): a forward result
   * of a training step that `releaseActivations` (@heed/autograd) ended.
   */
  get data(): DataArray {
    const d = this[STORAGE];
    if (isRetired(d)) throw retiredStorageError(this.shape, this.dtype);
    return d;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this[STORAGE].length;
  }

  /** Whether gradients flow to this tensor (only float tensors can require gradients). */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (typeof value !== "boolean") throw new Error(`requiresGrad: expected a boolean, got ${describeValue(value)} (tensor ${formatShape(this.shape)})`);
    if (value && !isFloat(this.dtype)) {
      throw new Error(`requiresGrad: only float tensors can require gradients (got dtype '${this.dtype}', shape ${formatShape(this.shape)})`);
    }
    this.#requiresGrad = value;
  }

  /** Mark this tensor as a leaf that requires gradients; returns `this` for chaining. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** True for tensors created by the user (not by a recorded op). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The flat storage as a typed array (a view, not a copy). Same as `data`. */
  dataSync(): DataArray {
    return this.data;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: expected a tensor with one element, got shape ${formatShape(this.shape)} (${this.size} elements)`);
    return this.data[0]!;
  }

  /** Nested JS arrays (like torch `tolist()` / tfjs `arraySync()`); bool tensors give booleans. */
  toArray(): NestedArray {
    const { data, shape } = this;
    const isBool = this.dtype === "bool";
    const read = (i: number): number | boolean => (isBool ? data[i] !== 0 : data[i]!);
    if (shape.length === 0) return read(0);
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[dim]!;
      const inner = stride / Math.max(n, 1);
      const out: NestedArray[] = new Array<NestedArray>(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === shape.length - 1 ? read(offset + i) : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** A tensor sharing this storage but cut from the gradient graph (torch `detach()`). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.dtype);
  }

  /** A new tensor with a copy of the storage (no gradient history). */
  clone(): Tensor {
    const copy = allocate(this.dtype, this.size);
    copy.set(this.data);
    return new Tensor(copy, this.shape, this.dtype);
  }

  /**
   * Backpropagate from this tensor (PyTorch's `tensor.backward()`): a scalar needs no
   * upstream gradient; any other shape needs `grad` of the same shape. Requires
   * @heed/autograd to be imported (it installs the engine).
   */
  backward(grad?: Tensor, options: BackwardOptions = {}): void {
    const engine = getAutogradEngine();
    if (engine === null) {
      throw new Error("backward: no autograd engine is installed; import '@heed/autograd' (or @heed/nn, which imports it) first");
    }
    engine.backward(this, grad, options);
  }

  toString(): string {
    return `tensor(${formatValues(this)}, shape=${formatShape(this.shape)}, dtype=${this.dtype}${this.requiresGrad ? ", requiresGrad=true" : ""})`;
  }
}

const MAX_SHOWN = 6;

function formatNumber(v: number, dtype: DType): string {
  if (dtype === "bool") return v !== 0 ? "true" : "false";
  if (dtype === "int32") return String(v);
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-4)) return v.toExponential(4);
  return v.toFixed(4);
}

function formatValues(t: Tensor): string {
  const { shape, data, dtype } = t;
  if (shape.length === 0) return formatNumber(data[0]!, dtype);
  const rec = (dim: number, offset: number, stride: number): string => {
    const n = shape[dim]!;
    const inner = stride / Math.max(n, 1);
    const idx = n > MAX_SHOWN ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    const parts = idx.map((i) =>
      i < 0 ? "..." : dim === shape.length - 1 ? formatNumber(data[offset + i]!, dtype) : rec(dim + 1, offset + i * inner, inner),
    );
    return `[${parts.join(dim === shape.length - 1 ? ", " : ",\n" + " ".repeat(dim + 8))}]`;
  };
  return rec(0, 0, t.size);
}
