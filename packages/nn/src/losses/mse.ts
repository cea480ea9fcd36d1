import { checkOptions, formatShape, mul, shapesEqual, sub, type Tensor } from "@heed/tensor-core";
import { checkReduction, reduce, type Reduction } from "./reduction.js";
import { tensorArg } from "../tensor-arg.js";

/**
 * Mean squared error (torch.nn.functional.mse_loss): ℓ = (input − target)², reduced by
 * 'mean' (default), 'sum' or 'none'. input and target must have the same shape: PyTorch broadcasts
 * different shapes with a warning (an [N, 1] prediction against an [N] target silently becomes an
 * [N, N] loss), Heed refuses them.
 *
 * @example
 * mseLoss(pred, y).item();
 */
export function mseLoss(input: Tensor, target: Tensor, options?: { reduction?: Reduction }): Tensor {
  const { reduction = "mean" } = checkOptions("mseLoss", options, { reduction: true });
  checkReduction("mseLoss", reduction);
  tensorArg("mseLoss", "input", input);
  tensorArg("mseLoss", "target", target);
  if (input.dtype === "bool" || input.dtype === "int32") throw new Error(`mseLoss: input must be a float tensor, got '${input.dtype}' (input: ${formatShape(input.shape)}, target: ${formatShape(target.shape)})`);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new Error(`mseLoss: target must have the input's shape ${formatShape(input.shape)}, got ${formatShape(target.shape)} (PyTorch would broadcast them, with a warning; reshape one of them)`);
  }
  const d = sub(input, target);
  return reduce(mul(d, d), reduction);
}
