import { DTYPES, type DType } from "./dtype.js";

/**
 * Argument checks shared by every public function of the Heed packages: options objects
 * (unknown keys rejected, `undefined` = default) and the kinds of positional arguments.
 */

/** Every key of an options type, each mapped to `true`: the list `checkOptions` accepts. */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/** A short description of a value for error messages: `a number (2)`, `an object {dim: 1}`. */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return `an array [${x.map((v) => (typeof v === "object" && v !== null ? "…" : String(v))).join(", ")}]`;
  switch (typeof x) {
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof x} ${String(x)}`;
    case "string":
      return `string '${x}'`;
    case "function":
      return "a function";
    case "object": {
      const ctor = (x as { constructor?: unknown }).constructor;
      const name = typeof ctor === "function" ? classTypeName(ctor) : undefined;
      if (name !== undefined && name !== "Object") return `a ${name}`;
      const keys = Object.keys(x);
      return keys.length === 0 ? "an empty object {}" : `an object {${keys.join(", ")}}`;
    }
    default:
      return typeof x;
  }
}

/**
 * The name errors show for a class: its own `static typeName` when it sets one (Heed's public
 * classes do, so the name survives bundlers and minifiers, which rename classes), else its `name`.
 */
export function classTypeName(ctor: { readonly name: string }): string {
  const own = Object.hasOwn(ctor, "typeName") ? (ctor as { typeName?: unknown }).typeName : undefined;
  return typeof own === "string" ? own : ctor.name;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `batch_first` → `batchFirst`, `keepdim` → `keepDim` is not guessed; only snake_case is mapped. */
function camelCase(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Check an options object and return a copy without its `undefined` entries, so that an
 * explicitly `undefined` option means its default (also under `{...defaults, ...options}`).
 * `undefined` options give `{}`; anything but a plain object, and any key not in `keys`, throws
 * an error naming `fn`, the key and the accepted keys (a snake_case PyTorch name gets a hint).
 *
 * @example
 * interface AdamOptions { lr?: number; eps?: number }
 * const KEYS: OptionKeys<AdamOptions> = { lr: true, eps: true };
 * checkOptions("Adam", { lr: 0.1, eps: undefined }, KEYS);   // { lr: 0.1 }
 * checkOptions("Adam", { learning_rate: 0.1 }, KEYS);        // throws: Adam: unknown option 'learning_rate' …
 */
export function checkOptions<T extends object>(fn: string, options: T | undefined, keys: OptionKeys<T>): T {
  if (options === undefined) return {} as T;
  if (!isPlainObject(options)) {
    throw new Error(`${fn}: expected an options object, got ${describeValue(options)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(keys, key)) {
      const accepted = Object.keys(keys);
      const guess = camelCase(key);
      const hint = guess !== key && accepted.includes(guess) ? ` — did you mean '${guess}'?` : "";
      const list = accepted.length === 0 ? "none" : accepted.join(", ");
      throw new Error(`${fn}: unknown option '${key}' (accepted options: ${list})${hint}`);
    }
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

/** `x` must be a boolean; the error names `fn` and the argument. */
export function expectBoolean(fn: string, name: string, x: unknown): boolean {
  if (typeof x !== "boolean") throw new Error(`${fn}: expected '${name}' to be a boolean, got ${describeValue(x)}`);
  return x;
}

/** `x` must be a finite number (optionally an integer); the error names `fn` and the argument. */
export function expectNumber(fn: string, name: string, x: unknown, integer = false): number {
  if (typeof x !== "number" || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    throw new Error(`${fn}: expected '${name}' to be ${integer ? "an integer" : "a finite number"}, got ${describeValue(x)}`);
  }
  return x;
}

/** A dtype argument: the dtype's name, or PyTorch's keyword form `{ dtype }` (`ones([2], { dtype: "int32" })`). */
export type DTypeArg = DType | { dtype?: DType | undefined };

const DTYPE_KEYS: OptionKeys<{ dtype?: DType }> = { dtype: true };

/** Resolve a `DTypeArg` (undefined → undefined); errors name `fn` and list the dtypes. */
export function dtypeArg(fn: string, arg: DTypeArg | undefined): DType | undefined {
  const value: unknown = typeof arg === "object" && arg !== null && !Array.isArray(arg) ? checkOptions(fn, arg, DTYPE_KEYS).dtype : arg;
  if (value === undefined || (typeof value === "string" && (DTYPES as readonly string[]).includes(value))) return value as DType | undefined;
  const what = typeof value === "string" ? `unknown dtype '${value}'` : `expected a dtype, got ${describeValue(value)}`;
  throw new Error(`${fn}: ${what} (expected one of ${DTYPES.join(", ")}, or { dtype })`);
}

/**
 * A shape or axis list given as one array or, PyTorch style, as separate numbers:
 * `reshape(x, [2, 3])` and `x.reshape(2, 3)` are the same. Errors name `fn` and `name`.
 */
export function listArg(fn: string, name: string, first: unknown, rest: readonly unknown[]): readonly number[] {
  if (Array.isArray(first) && rest.length === 0) return first as readonly number[];
  if (typeof first === "number" && rest.every((r) => typeof r === "number")) return [first, ...(rest as number[])];
  const got = rest.length === 0 ? describeValue(first) : `${[first, ...rest].map(describeValue).join(", ")}`;
  throw new Error(`${fn}: expected '${name}' as an array of integers or as separate integers (like [2, 3] or 2, 3), got ${got}`);
}
