import { checkOptions, formatShape, mul, sub, type Tensor } from "@heed/tensor-core";
import { checkReduction, reduce, type Reduction } from "./reduction.js";

/**
 * Mean squared error (torch.nn.functional.mse_loss): ℓ = (input − target)², reduced by
 * 'mean' (default), 'sum' or 'none'. Shapes broadcast as in PyTorch.
 *
 * @example
 * mseLoss(pred, y).item();
 */
export function mseLoss(input: Tensor, target: Tensor, options?: { reduction?: Reduction }): Tensor {
  const { reduction = "mean" } = checkOptions("mseLoss", options, { reduction: true });
  checkReduction("mseLoss", reduction);
  if (input.dtype === "bool" || input.dtype === "int32") throw new Error(`mseLoss: input must be a float tensor, got '${input.dtype}' (input: ${formatShape(input.shape)}, target: ${formatShape(target.shape)})`);
  const d = sub(input, target);
  return reduce(mul(d, d), reduction);
}
