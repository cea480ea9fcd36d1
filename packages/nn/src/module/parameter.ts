import { Tensor } from "@heed/tensor-core";

/**
 * A trainable tensor: a `Tensor` with `requiresGrad = true` (torch.nn.Parameter). It shares
 * the storage of the tensor it is made from, so optimizers and `loadStateDict` update it in place.
 *
 * @example
 * const w = new Parameter(zeros([3, 4]));  // w.requiresGrad === true
 */
export class Parameter extends Tensor {
  constructor(source: Tensor, requiresGrad = true) {
    super(source.data, source.shape, source.dtype);
    this.requiresGrad = requiresGrad;
  }
}
