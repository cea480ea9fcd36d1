import { allocate, dtypeOfArray, isFloat, type DataArray, type DType } from "./dtype.js";
import { dtypeArg, describeValue, expectNumber, type DTypeArg } from "./options.js";
import { Generator } from "./random.js";
import { checkShape, formatShape, sizeOf, type Shape } from "./shape.js";
import { Tensor, type NestedArray } from "./tensor.js";

/** Anything an op accepts where a tensor is expected: a tensor, a number or a boolean. */
export type TensorLike = Tensor | number | boolean;

type Values = NestedArray | DataArray | readonly number[] | readonly boolean[];

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0]!;
  }
  return shape;
}

function flatten(op: string, values: NestedArray, shape: number[], out: (number | boolean)[], dim = 0): void {
  if (dim === shape.length) {
    if (Array.isArray(values)) throw new Error(`${op}: ragged nested array (expected a scalar at depth ${dim} for shape ${formatShape(shape)})`);
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new Error(`${op}: ragged nested array (expected length ${shape[dim]} at depth ${dim} for shape ${formatShape(shape)}, got ${Array.isArray(values) ? values.length : "a scalar"})`);
  }
  for (const v of values) flatten(op, v, shape, out, dim + 1);
}

/**
 * A tensor from nested arrays, a flat typed array or array (with `shape`), or a scalar.
 * Booleans give a `bool` tensor, typed arrays keep their dtype, numbers give `float32`
 * unless `dtype` says otherwise. As in PyTorch, `dtype` may be given as `{ dtype }`; without a
 * shape it may take the shape's place: `tensor([1, 2], { dtype: "int32" })`, `tensor([1, 2], "int32")`.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);          // float32 [2,2]
 * const m = tensor([true, false]);             // bool [2]
 * const i = tensor([0, 2, 1], undefined, "int32");
 * const y = tensor(new Float32Array(6), [2, 3]);
 */
export function tensor(values: Values, shapeOrOptions?: Shape | DTypeArg, dtype?: DTypeArg): Tensor {
  const keyword = typeof shapeOrOptions === "string" || (typeof shapeOrOptions === "object" && shapeOrOptions !== null && !Array.isArray(shapeOrOptions));
  if (keyword && dtype === undefined) return tensor(values, undefined, shapeOrOptions as DTypeArg);
  const shape = shapeOrOptions as Shape | undefined;
  const dt0 = dtypeArg("tensor", dtype);
  let flat: ArrayLike<number | boolean>;
  let inferred: number[];
  let natural: DType;
  if (ArrayBuffer.isView(values)) {
    flat = values;
    inferred = [values.length];
    natural = dtypeOfArray(values);
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    if (shape !== undefined && inferred.length === 1 && sizeOf(shape) === values.length && !Array.isArray(values[0])) {
      flat = values as (number | boolean)[];
    } else {
      const out: (number | boolean)[] = [];
      flatten("tensor", values, inferred, out);
      flat = out;
    }
    natural = flat.length > 0 && typeof flat[0] === "boolean" ? "bool" : "float32";
  } else if (typeof values === "number" || typeof values === "boolean") {
    flat = [values];
    inferred = [];
    natural = typeof values === "boolean" ? "bool" : "float32";
  } else {
    throw new Error(`tensor: cannot make a tensor from ${typeof values}`);
  }
  const finalShape = shape ?? inferred;
  checkShape("tensor", finalShape);
  if (sizeOf(finalShape) !== flat.length) {
    throw new Error(`tensor: ${flat.length} values do not fill shape ${formatShape(finalShape)} (${sizeOf(finalShape)} elements)`);
  }
  const dt = dt0 ?? natural;
  const data = allocate(dt, flat.length);
  const typed = ArrayBuffer.isView(values);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (!typed && typeof v !== "number" && typeof v !== "boolean") {
      throw new Error(`tensor: expected numbers or booleans, got ${describeValue(v)} at flat position ${i} (shape ${formatShape(finalShape)})`);
    }
    if (dt === "int32" && typeof v === "number" && !fitsInt32(v)) {
      throw new Error(`tensor: value ${v} at flat position ${i} does not fit int32 (integers in [-2147483648, 2147483647]; fractions are cut toward 0, as in PyTorch) (shape ${formatShape(finalShape)})`);
    }
    data[i] = typeof v === "boolean" ? (v ? 1 : 0) : dt === "bool" ? (v !== 0 ? 1 : 0) : v;
  }
  return new Tensor(data, finalShape, dt);
}

/** Whether a number written into an Int32Array keeps its integer part (it would wrap around, or NaN become 0, otherwise). */
function fitsInt32(v: number): boolean {
  return v > -2147483649 && v < 2147483648;
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DTypeArg): Tensor {
  return tensor(value, [], dtypeArg("scalar", dtype));
}

/**
 * Convert an op argument to a tensor. A JS number next to a float tensor takes that
 * tensor's dtype (as in PyTorch, a Python scalar does not promote float32 to float64).
 */
export function asTensor(x: TensorLike, like?: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "boolean") return scalar(x, "bool");
  if (typeof x !== "number") throw new Error(`expected a Tensor, number or boolean, got ${typeof x}`);
  let dtype: DType = "float32";
  if (like !== undefined) {
    if (isFloat(like.dtype)) dtype = like.dtype;
    else if (Number.isInteger(x)) dtype = "int32";
  }
  return scalar(x, dtype);
}

/**
 * A tensor of `shape` filled with `value` (torch.full); booleans give bool, numbers float32
 * unless `dtype` (a name or `{ dtype }`) says otherwise. `zeros`, `ones` and the `…Like`
 * forms take the same dtype argument.
 *
 * @example
 * full([2, 2], 7);                  // float32 [[7, 7], [7, 7]]
 * ones([2], { dtype: "int32" });    // PyTorch's keyword form is accepted
 */
export function full(shape: Shape, value: number | boolean, dtype?: DTypeArg): Tensor {
  return filled("full", shape, value, dtype);
}

function filled(fn: string, shape: Shape, value: number | boolean, dtype: DTypeArg | undefined): Tensor {
  checkShape(fn, shape);
  if (typeof value !== "number" && typeof value !== "boolean") throw new Error(`${fn}: expected 'value' to be a number or boolean, got ${describeValue(value)}`);
  const dt = dtypeArg(fn, dtype) ?? (typeof value === "boolean" ? "bool" : "float32");
  const data = allocate(dt, sizeOf(shape));
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  if (dt === "int32" && !fitsInt32(v)) throw new Error(`${fn}: value ${v} does not fit int32 (integers in [-2147483648, 2147483647]) (shape ${formatShape(shape)})`);
  if (v !== 0) data.fill(v);
  return new Tensor(data, shape, dt);
}

export function zeros(shape: Shape, dtype?: DTypeArg): Tensor {
  checkShape("zeros", shape);
  return filled("zeros", shape, 0, dtypeArg("zeros", dtype) ?? "float32");
}

export function ones(shape: Shape, dtype?: DTypeArg): Tensor {
  checkShape("ones", shape);
  return filled("ones", shape, 1, dtypeArg("ones", dtype) ?? "float32");
}

function likeOf(fn: string, t: Tensor, value: number | boolean, dtype: DTypeArg | undefined): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${fn}: expected a Tensor, got ${describeValue(t)}`);
  return filled(fn, t.shape, value, dtypeArg(fn, dtype) ?? t.dtype);
}

export function zerosLike(t: Tensor, dtype?: DTypeArg): Tensor {
  return likeOf("zerosLike", t, 0, dtype);
}

export function onesLike(t: Tensor, dtype?: DTypeArg): Tensor {
  return likeOf("onesLike", t, 1, dtype);
}

export function fullLike(t: Tensor, value: number | boolean, dtype?: DTypeArg): Tensor {
  return likeOf("fullLike", t, value, dtype);
}

/**
 * Values from `start` (inclusive) to `stop` (exclusive) by `step`, like torch.arange.
 * `arange(5)` is [0..4]. Integer arguments give int32 unless `dtype` says otherwise.
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DTypeArg): Tensor {
  expectNumber("arange", "start", start);
  if (stop !== undefined) expectNumber("arange", "stop", stop);
  expectNumber("arange", "step", step);
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new Error(`arange: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dt = dtypeArg("arange", dtype) ?? (Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step) ? "int32" : "float32");
  const data = allocate(dt, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], dt);
}

/** `steps` evenly spaced values from `start` to `end` inclusive, like torch.linspace. */
export function linspace(start: number, end: number, steps: number, dtypeOrOptions?: DTypeArg): Tensor {
  const dtype = dtypeArg("linspace", dtypeOrOptions) ?? "float32";
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = allocate(dtype, steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = i === steps - 1 && steps > 1 ? end : start + i * delta;
  return new Tensor(data, [steps], dtype);
}

/** An n×m identity matrix (m defaults to n). */
export function eye(n: number, m = n, dtypeOrOptions?: DTypeArg): Tensor {
  const dtype = dtypeArg("eye", dtypeOrOptions) ?? "float32";
  checkShape("eye", [n, m]);
  const data = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m], dtype);
}

/** Standard normal samples from a seeded generator: `randn([2, 3], new Generator(42))`. */
export function randn(shape: Shape, rng: Generator, dtypeOrOptions?: DTypeArg): Tensor {
  checkShape("randn", shape);
  expectGenerator("randn", rng);
  const dtype = dtypeArg("randn", dtypeOrOptions) ?? "float32";
  if (!isFloat(dtype)) throw new Error(`randn: dtype must be float32 or float64 (samples of a continuous distribution), got '${dtype}'`);
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal();
  return new Tensor(data, shape, dtype);
}

/** Uniform samples in [low, high) from a seeded generator. */
export function rand(shape: Shape, rng: Generator, low = 0, high = 1, dtypeOrOptions?: DTypeArg): Tensor {
  checkShape("rand", shape);
  expectGenerator("rand", rng);
  expectNumber("rand", "low", low);
  expectNumber("rand", "high", high);
  if (low > high) throw new Error(`rand: expected low <= high (as torch's uniform_(from, to)), got low=${low}, high=${high}`);
  const dtype = dtypeArg("rand", dtypeOrOptions) ?? "float32";
  if (!isFloat(dtype)) throw new Error(`rand: dtype must be float32 or float64 (samples of a continuous distribution), got '${dtype}'; for integers use randint(low, high, shape, rng)`);
  const data = allocate(dtype, sizeOf(shape));
  const span = high - low;
  for (let i = 0; i < data.length; i++) data[i] = low + rng.nextFloat() * span;
  return new Tensor(data, shape, dtype);
}

/** Uniform integers in [low, high) from a seeded generator (int32). */
export function randint(low: number, high: number, shape: Shape, rng: Generator): Tensor {
  checkShape("randint", shape);
  expectGenerator("randint", rng);
  const data = allocate("int32", sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.nextInt(low, high);
  return new Tensor(data, shape, "int32");
}

/** A random permutation of 0..n-1 (Fisher–Yates) as an int32 tensor. */
export function randperm(n: number, rng: Generator): Tensor {
  expectNumber("randperm", "n", n, true);
  if (n < 0) throw new Error(`randperm: expected 'n' to be a non-negative integer, got ${n}`);
  expectGenerator("randperm", rng);
  const data = allocate("int32", n);
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(0, i + 1);
    const t = data[i]!;
    data[i] = data[j]!;
    data[j] = t;
  }
  return new Tensor(data, [n], "int32");
}

/** Bernoulli(p) samples as a bool tensor (used for dropout masks). */
export function bernoulli(shape: Shape, p: number, rng: Generator): Tensor {
  checkShape("bernoulli", shape);
  expectGenerator("bernoulli", rng);
  if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli: probability must be in [0, 1], got ${p}`);
  const data = allocate("bool", sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.nextFloat() < p ? 1 : 0;
  return new Tensor(data, shape, "bool");
}

/** Random functions take a seeded `Generator` (`new Generator(seed)`); the error names `fn`. */
function expectGenerator(fn: string, rng: unknown): void {
  if (!(rng instanceof Generator)) throw new Error(`${fn}: expected a seeded Generator (new Generator(seed)) as 'rng', got ${describeValue(rng)}`);
}
