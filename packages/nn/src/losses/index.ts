export { type Reduction } from "./reduction.js";
export { mseLoss } from "./mse.js";
export { crossEntropy, nllLoss, type CrossEntropyOptions } from "./cross-entropy.js";
export { binaryCrossEntropyWithLogits, type BCEWithLogitsOptions } from "./bce-with-logits.js";
export { logSigmoid } from "./log-sigmoid.js";
