import { gather, pad, permute, reshape, scatterAdd, slice, type Tensor } from "@heed/tensor-core";
import type { RulesFor } from "./types.js";

type Movement = "reshape" | "permute" | "expand" | "slice" | "concat" | "pad" | "gather" | "scatterAdd";

/** The inverse permutation: inverse[perm[i]] = i. */
function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** The part of `g` at [offset, offset + length) along `axis`. */
function narrowed(g: Tensor, axis: number, offset: number, length: number): Tensor {
  return slice(g, g.shape.map((_, i) => (i === axis ? offset : 0)), g.shape.map((d, i) => (i === axis ? offset + length : d)));
}

/** d concat: each input gets its own slice of the gradient along `axis`. */
function concatGrads(g: Tensor, inputs: readonly Tensor[], axis: number, needsGrad: readonly boolean[]): (Tensor | null)[] {
  let offset = 0;
  return inputs.map((x, i) => {
    const length = x.shape[axis]!;
    offset += length;
    return needsGrad[i] ? narrowed(g, axis, offset - length, length) : null;
  });
}

export const movementRules: RulesFor<Movement> = {
  reshape: (g, [x]) => [reshape(g, x.shape)], // d reshape(x) = reshape(dy, x.shape)
  permute: (g, _, __, { perm }) => [permute(g, inverse(perm))], // d permute(x, p) = permute(dy, p⁻¹)
  expand: (g) => [g], // d expand(x) = dy summed over the expanded dims, which the engine does
  // d x[b:e] = dy padded with zeros back to x's shape
  slice: (g, [x], _, { begin, end }) => [pad(g, x.shape.map((d, i): [number, number] => [begin[i] ?? 0, d - (end[i] ?? d)]))],
  // d pad(x) = dy with the padding cut off
  pad: (g, [x], _, { pads }) => {
    const lead = x.rank - pads.length;
    return [slice(g, x.shape.map((_, i) => pads[i - lead]?.[0] ?? 0), x.shape.map((d, i) => (pads[i - lead]?.[0] ?? 0) + d))];
  },
  concat: (g, inputs, _, { axis }, n) => concatGrads(g, inputs, axis, n),
  // d gather(x, idx) = scatter-add of dy into x's shape (repeated indices accumulate)
  gather: (g, [x, idx], _, { axis }) => [scatterAdd(g, idx, axis, x.shape[axis]!), null],
  scatterAdd: (g, [, idx], _, { axis }) => [gather(g, idx, axis), null], // d scatterAdd(src, idx) = gather(dy, idx)
};
