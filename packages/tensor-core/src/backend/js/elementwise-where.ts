/**
 * Reference kernels of `where(condition, a, b)` and of `reluGrad(g, x)`.
 *
 * where: out = condition ? a : b, with the three
 * inputs broadcast together. The output dtype is the promotion of a and b.
 */
import { allocate, promote, type DataArray } from "../../dtype.js";
import { broadcastShapes, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { Kernel } from "../backend.js";
import { runSegments } from "./elementwise-iter.js";

/** One segment of where (module-level: V8 keeps type feedback per closure, so a loop in a per-call closure starts unoptimised). */
function select(out: DataArray, o: number, n: number, cd: DataArray, ic: number, sc: number, ad: DataArray, ia: number, sa: number, bd: DataArray, ib: number, sb: number): void {
  for (let j = o, e = o + n; j < e; j++, ic += sc, ia += sa, ib += sb) out[j] = cd[ic] !== 0 ? ad[ia]! : bd[ib]!;
}

export const where: Kernel<"where"> = ([cond, a, b]) => {
  const shape = broadcastShapes("where", broadcastShapes("where", cond!.shape, a!.shape), b!.shape);
  const dtype = promote(a!.dtype, b!.dtype);
  const out = allocate(dtype, sizeOf(shape));
  const cd = cond!.data;
  const ad = a!.data;
  const bd = b!.data;
  runSegments(shape, [cond!, a!, b!], (o, n, off, step) => select(out, o, n, cd, off[0]!, step[0]!, ad, off[1]!, step[1]!, bd, off[2]!, step[2]!));
  return new Tensor(out, shape, dtype);
};

/** reluGrad(g, x) = where(x > 0, g, 0) for g and x of one shape, in one pass (NaN in x gives 0). */
export const reluGrad: Kernel<"reluGrad"> = ([g, x]) => {
  const gd = g!.data;
  const xd = x!.data;
  const out = allocate(g!.dtype, gd.length);
  // branch-free g·[x > 0] (+ 0 turns −0 into 0); a non-finite g takes the (predictable) branch, as ∞·0 = NaN
  for (let i = 0; i < out.length; i++) {
    const s = gd[i]!;
    const m = +(xd[i]! > 0);
    out[i] = s - s === 0 ? s * m + 0 : m === 1 ? s : 0;
  }
  return new Tensor(out, g!.shape, g!.dtype);
};
