/** Shape helpers shared by every op. All shapes are row-major and contiguous. */
import { describeValue } from "./options.js";

export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes; the error names the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${i - n} is ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalise a possibly negative axis into [0, rank). */
export function normalizeAxis(op: string, axis: number, rank: number, shape?: Shape): number {
  if (typeof axis !== "number") throw new Error(`${op}: expected an axis (an integer), got ${describeValue(axis)}`);
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    const where = shape ? ` of a tensor with shape ${formatShape(shape)}` : ` of a rank-${rank} tensor`;
    throw new Error(`${op}: axis ${axis} is out of range for dimension count ${rank}${where} (expected -${rank}..${Math.max(rank - 1, 0)})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalise a list of axes (undefined = all), sorted and without duplicates. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined | null, rank: number, shape?: Shape): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: rank }, (_, i) => i);
  checkAxesArg(op, axes);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(op, a, rank, shape));
  const seen = new Set<number>();
  for (const a of out) {
    if (seen.has(a)) throw new Error(`${op}: axis ${a} appears more than once in [${list.join(",")}]`);
    seen.add(a);
  }
  return out.sort((x, y) => x - y);
}

/**
 * Reduction axes must be an integer, an array of integers, null or undefined. An object
 * (PyTorch's `dim=` keyword written as `{ dim: 1 }`) is refused with the positional form.
 */
export function checkAxesArg(op: string, axes: unknown): void {
  if (axes === undefined || axes === null || typeof axes === "number" || Array.isArray(axes)) return;
  const hint = typeof axes === "object" ? ` (axes are positional: ${op}(x, 1) or x.${op}(1), not { dim: 1 })` : "";
  throw new Error(`${op}: expected axes as an integer, an array of integers or null (all axes), got ${describeValue(axes)}${hint}`);
}

/** Validate a user-provided shape (an array of non-negative integers). */
export function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) {
    throw new Error(`${op}: expected 'shape' to be an array of non-negative integers like [2, 3], got ${describeValue(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: invalid shape ${formatShape(shape)} (dimensions must be non-negative integers)`);
  }
  const n = sizeOf(shape);
  if (n > MAX_ELEMENTS) {
    throw new Error(`${op}: shape ${formatShape(shape)} has ${n.toLocaleString("en-US")} elements, more than a tensor can hold (${MAX_ELEMENTS.toLocaleString("en-US")}, the largest typed array)`);
  }
}

/** The most elements a tensor's data (one JavaScript typed array) can hold. */
const MAX_ELEMENTS = 2 ** 32;
