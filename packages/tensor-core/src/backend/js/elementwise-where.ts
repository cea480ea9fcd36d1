/**
 * Reference kernel of `where(condition, a, b)`: out = condition ? a : b, with the three
 * inputs broadcast together. The output dtype is the promotion of a and b.
 */
import { allocate, promote } from "../../dtype.js";
import { broadcastShapes, sizeOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { Kernel } from "../backend.js";
import { runSegments } from "./elementwise-iter.js";

export const where: Kernel<"where"> = ([cond, a, b]) => {
  const shape = broadcastShapes("where", broadcastShapes("where", cond!.shape, a!.shape), b!.shape);
  const dtype = promote(a!.dtype, b!.dtype);
  const out = allocate(dtype, sizeOf(shape));
  const cd = cond!.data;
  const ad = a!.data;
  const bd = b!.data;
  runSegments(shape, [cond!, a!, b!], (o, n, off, step) => {
    let ic = off[0]!;
    let ia = off[1]!;
    let ib = off[2]!;
    const sc = step[0]!;
    const sa = step[1]!;
    const sb = step[2]!;
    for (let j = o, e = o + n; j < e; j++, ic += sc, ia += sa, ib += sb) out[j] = cd[ic] !== 0 ? ad[ia]! : bd[ib]!;
  });
  return new Tensor(out, shape, dtype);
};
