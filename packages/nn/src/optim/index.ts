export { Optimizer, type OptimizerStateDict, type ParamGroup, type ParamsInput, type ParamState, type ParamUpdate, type FloatArray } from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, AdamW, type AdamOptions } from "./adam.js";
export { packOptimizerState, unpackOptimizerState, OPTIMIZER_METADATA_KEY } from "./state-io.js";
export { clipGradNorm } from "./clip-grad.js";
export {
  LRScheduler, LambdaLR, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, LinearWarmup, NoamLR,
  warmupInverseSqrt, warmupCosine, type Schedule,
} from "./lr-scheduler.js";
