import type { OpAttrs, OpName, Tensor } from "@heed/tensor-core";

/** Marks an op whose outputs carry no gradient (comparisons, argmax, integer results). */
export const nonDifferentiable: unique symbol = Symbol("nonDifferentiable");
export type NonDifferentiable = typeof nonDifferentiable;

type Binary =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "equal" | "notEqual" | "less" | "lessEqual"
  | "greater" | "greaterEqual" | "logicalAnd" | "logicalOr" | "logicalXor" | "gather" | "scatterAdd" | "matmul" | "reluGrad";

/** The inputs an op receives, by arity: concat is n-ary, where is ternary. */
export type InputsOf<P extends OpName> = P extends "concat"
  ? readonly Tensor[]
  : P extends "where"
    ? readonly [Tensor, Tensor, Tensor]
    : P extends Binary
      ? readonly [Tensor, Tensor]
      : readonly [Tensor];

/**
 * A gradient rule: given the gradient of the output `g` (output-shaped), the op's inputs,
 * its output and attributes, return one gradient per input, or null where `needsGrad[i]`
 * is false (rules compute only what is needed). A returned gradient may have the
 * broadcast output shape: the engine sums it down to the input's shape in one place.
 * Rules run with recording off and use only public tensor-core ops.
 */
export type Rule<P extends OpName> = (
  g: Tensor,
  inputs: InputsOf<P>,
  output: Tensor,
  attrs: OpAttrs[P],
  needsGrad: readonly boolean[],
) => (Tensor | null)[];

/** A table with a rule (or an explicit `nonDifferentiable`) for each op in `K`. */
export type RulesFor<K extends OpName> = { [P in K]: Rule<P> | NonDifferentiable };
