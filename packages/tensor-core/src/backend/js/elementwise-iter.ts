/**
 * Broadcast iteration for elementwise kernels. The output is walked as a list of
 * contiguous "segments" (runs along the innermost coalesced dimension); inside a segment
 * each input advances by a fixed stride, 1 (it varies along that dimension) or 0 (it is
 * broadcast). Kernels run one tight loop per segment, so a closure is called once per
 * segment, never once per element.
 *
 * Dimensions are coalesced first (as PyTorch's TensorIterator does), so the common cases
 * become one or two dimensions:
 *   [B,L,E] + [B,L,E] -> one segment of B·L·E, strides 1 and 1
 *   [B,L,E] + []      -> one segment of B·L·E, strides 1 and 0
 *   [B,L,E] + [E]     -> B·L segments of E, strides 1 and 1, b restarts at 0
 *   [B,L,E] * [B,L,1] -> B·L segments of E, strides 1 and 0, b advances by 1 per segment
 */
import { sizeOf, type Shape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";

export interface BroadcastPlan {
  /** Coalesced output dimensions, outermost first (size-1 dimensions dropped). */
  readonly dims: number[];
  /** strides[k][d]: element stride of input k along coalesced dimension d (0 = broadcast). */
  readonly strides: number[][];
}

/** Per-input strides aligned to `out` (right-aligned, 0 where the input is broadcast). */
function alignedStrides(shape: Shape, out: Shape): number[] {
  const r = out.length;
  const strides = new Array<number>(r).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d !== 1) strides[r - shape.length + i] = s;
    s *= d;
  }
  return strides;
}

/** The coalesced iteration plan of `inputs` broadcast to `out` (shapes already compatible). */
export function broadcastPlan(out: Shape, inputs: readonly Shape[]): BroadcastPlan {
  const all = inputs.map((s) => alignedStrides(s, out));
  const dims: number[] = [];
  const strides: number[][] = inputs.map(() => []);
  // Walk from the innermost dimension outwards, merging a dimension into the current
  // (outer-most so far) block when every input is laid out contiguously across both.
  for (let i = out.length - 1; i >= 0; i--) {
    const d = out[i]!;
    if (d === 1) continue;
    const mergeable = dims.length > 0 && all.every((st, k) => st[i] === strides[k]![0]! * dims[0]!);
    if (mergeable) {
      dims[0] = dims[0]! * d; // the merged block keeps its inner stride
    } else {
      dims.unshift(d);
      all.forEach((st, k) => strides[k]!.unshift(st[i]!));
    }
  }
  return { dims, strides };
}

/**
 * Call `visit(outOffset, length, offsets)` for every contiguous segment of the plan;
 * `offsets[k]` is input k's start and `innerStrides(plan)[k]` its step. `offsets` is
 * reused between calls: read it, do not keep it.
 */
export function forEachSegment(plan: BroadcastPlan, visit: (o: number, n: number, offsets: number[]) => void): void {
  const { dims, strides } = plan;
  const rank = dims.length;
  const k = strides.length;
  const offsets = new Array<number>(k).fill(0);
  if (rank === 0) {
    visit(0, 1, offsets);
    return;
  }
  const n = dims[rank - 1]!;
  let total = 1;
  for (const d of dims) total *= d;
  if (total === 0) return;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < total; o += n) {
    visit(o, n, offsets);
    // odometer over the outer dimensions
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) offsets[j]! += strides[j]![d]!;
      if (idx[d]! < dims[d]!) break;
      for (let j = 0; j < k; j++) offsets[j]! -= strides[j]![d]! * dims[d]!;
      idx[d] = 0;
    }
  }
}

/** Each input's step inside a segment (its stride along the innermost coalesced dimension). */
export function innerStrides(plan: BroadcastPlan): number[] {
  const r = plan.dims.length;
  return plan.strides.map((s) => (r === 0 ? 0 : s[r - 1]!));
}

/**
 * Visit the segments of `inputs` broadcast to the output `shape`, with each
 * input's start offset and step. Fast path: a single segment over the whole output when
 * every input is full-size (then its layout is the output's) or a single value.
 */
export function runSegments(
  shape: Shape,
  inputs: readonly Tensor[],
  visit: (o: number, n: number, offsets: readonly number[], steps: readonly number[]) => void,
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  if (inputs.every((t) => t.size === n || t.size === 1)) {
    visit(0, n, inputs.map(() => 0), inputs.map((t) => (t.size === n && n !== 1 ? 1 : 0)));
    return;
  }
  const plan = broadcastPlan(shape, inputs.map((t) => t.shape));
  const steps = innerStrides(plan);
  forEachSegment(plan, (o, len, offsets) => visit(o, len, offsets, steps));
}
