export { type Axes } from "./axes.js";
export { sum } from "./sum.js";
export { max, min } from "./max.js";
export { argmax, argmin } from "./argmax.js";
export { softmax, logSoftmax } from "./softmax.js";
export { mean } from "./mean.js";
export { variance, std, type VarianceOptions } from "./variance.js";
export { logSumExp } from "./logsumexp.js";
