import type { CustomVjpOptions } from "@heed/autograd";

/**
 * For @heed/nn's custom backward functions: none keeps its incoming gradient or the gradients
 * it returns, so backward() may reuse their storage within the pass (fewer fresh arrays).
 */
export const KEEPS_NOTHING: CustomVjpOptions = Object.freeze({ keepsGradients: false });
