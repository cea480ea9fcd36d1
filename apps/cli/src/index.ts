/**
 * heed — the programmatic side of the `heed` CLI: the task definitions and models that
 * `heed train` uses, so benchmarks and scripts can build the same models.
 */
export { Seq2SeqTransformer, type Seq2SeqShape } from "./tasks/g2p-model.js";
export { TASK_DEFINITIONS } from "./tasks/index.js";
export { type TaskDefinition, type TaskRuntime, type Evaluation, type AttentionMaps } from "./task.js";
export { type TrainConfig, TASKS, ATTENTIONS, MECHANISMS } from "./config.js";
export { errorRates, bleu, meanAbsoluteError, rootMeanSquaredError } from "./metrics.js";
export { heedPredictor, ortPredictor } from "./export-commands.js";
export { ORT_INSTALL } from "./export-ort.js";
