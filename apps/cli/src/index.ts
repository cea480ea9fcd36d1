/**
 * heed — the programmatic side of the `heed` CLI: the task definitions that `heed train` uses.
 * The models themselves live in the packages (g2p and translate: @heed/attention's
 * Seq2SeqTransformer).
 */
export { TASK_DEFINITIONS } from "./tasks/index.js";
export { type TaskDefinition, type TaskRuntime, type BatchPart, type Evaluation, type EvaluateOptions, type AttentionMaps } from "./task.js";
export { type TrainConfig, TASKS, ATTENTIONS, MECHANISMS } from "./config.js";
export { errorRates, bleu, meanAbsoluteError, rootMeanSquaredError } from "./metrics.js";
export { ortPredictor } from "./export-commands.js";
export { heedPredictor } from "./restore.js";
export { ORT_INSTALL } from "./export-ort.js";
