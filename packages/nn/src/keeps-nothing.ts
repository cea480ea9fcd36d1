import type { CustomVjpOptions } from "@heed/autograd";

/**
 * For @heed/nn's custom backward functions: none keeps its incoming gradient or the gradients
 * it returns, so backward() may reuse their storage within the pass (fewer fresh arrays).
 */
export const KEEPS_NOTHING: CustomVjpOptions = Object.freeze({ keepsGradients: false });

/**
 * KEEPS_NOTHING, for custom ops whose `saved` holds only arrays their forward made for their
 * backward (never an input): a training step in `releaseActivations` reuses them for the next.
 */
export const KEEPS_NOTHING_SAVED_PRIVATE: CustomVjpOptions = Object.freeze({ keepsGradients: false, keepsSaved: false });
