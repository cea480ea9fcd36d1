import { add, cast, div, equal, greater, less, log, mul, neg, pow, reluGrad, sub, where, type Tensor } from "@heed/tensor-core";
import { nonDifferentiable, type RulesFor } from "./types.js";

type Binary =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "equal" | "notEqual" | "less" | "lessEqual"
  | "greater" | "greaterEqual" | "logicalAnd" | "logicalOr" | "logicalXor" | "where" | "reluGrad";

/** Share of the gradient that goes to `a` in max(a, b) (`pick` = greater) or min(a, b) (`pick` = less): 1, ½ on ties, 0. */
function share(a: Tensor, b: Tensor, pick: typeof greater, dtype: Tensor["dtype"]): Tensor {
  return add(cast(pick(a, b), dtype), mul(cast(equal(a, b), dtype), 0.5));
}

// Returned gradients have the broadcast output shape; the engine sums them down to each input's shape.
export const binaryRules: RulesFor<Binary> = {
  add: (g, _, __, ___, n) => [n[0] ? g : null, n[1] ? g : null], // d(a + b) = da + db
  sub: (g, _, __, ___, n) => [n[0] ? g : null, n[1] ? neg(g) : null], // d(a − b) = da − db
  // d(ab) = b·da + a·db; x·x (`square`) gets one gradient 2·(g·x): doubling is exact, so these are the bits of g·x + x·g
  mul: (g, [a, b], _, __, n) => (a === b ? [n[0] ? mul(mul(g, a), 2) : null, null] : [n[0] ? mul(g, b) : null, n[1] ? mul(g, a) : null]),
  div: (g, [, b], y, _, n) => [n[0] ? div(g, b) : null, n[1] ? neg(div(mul(g, y), b)) : null], // d(a/b) = da/b − (a/b)/b·db
  // d(aᵇ) = b·aᵇ⁻¹·da + aᵇ·log(a)·db; the base term is 0 where b = 0 and the exponent term is 0 where a ≤ 0
  pow: (g, [a, b], y, _, n) => [
    n[0] ? where(equal(b, 0), 0, mul(g, mul(b, pow(a, sub(b, 1))))) : null,
    n[1] ? where(greater(a, 0), mul(g, mul(y, log(a))), 0) : null,
  ],
  // d max(a, b) = [a > b]·da + [a < b]·db, split evenly on ties (torch.maximum)
  maximum: (g, [a, b], _, __, n) => [n[0] ? mul(g, share(a, b, greater, g.dtype)) : null, n[1] ? mul(g, share(b, a, greater, g.dtype)) : null],
  minimum: (g, [a, b], _, __, n) => [n[0] ? mul(g, share(a, b, less, g.dtype)) : null, n[1] ? mul(g, share(b, a, less, g.dtype)) : null],
  // d where(c, a, b) = where(c, da, db): masked entries get exactly 0 (no NaN from −∞ fills)
  where: (g, [c], _, __, n) => [null, n[1] ? where(c, g, 0) : null, n[2] ? where(c, 0, g) : null],
  // reluGrad(g, x) is linear in g with the mask [x > 0]; in x it is piecewise constant (derivative 0)
  reluGrad: (gy, [, x], _, __, n) => [n[0] ? reluGrad(gy, x) : null, null],
  equal: nonDifferentiable,
  notEqual: nonDifferentiable,
  less: nonDifferentiable,
  lessEqual: nonDifferentiable,
  greater: nonDifferentiable,
  greaterEqual: nonDifferentiable,
  logicalAnd: nonDifferentiable,
  logicalOr: nonDifferentiable,
  logicalXor: nonDifferentiable,
};
