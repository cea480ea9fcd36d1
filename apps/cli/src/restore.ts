import { noGrad } from "@heed/autograd";
import { Generator } from "@heed/tensor-core";
import { loadCheckpoint, type LoadedCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import { RuntimeError, UsageError } from "./errors.js";
import type { TaskRuntime } from "./task.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";

/** Rebuild a task runtime with a checkpoint's weights, ready for inference. */
export function restore(path: string, beam?: number): { rt: TaskRuntime; config: TrainConfig; ckpt: LoadedCheckpoint } {
  const ckpt = loadCheckpoint(path, "best");
  const config = beam === undefined ? ckpt.config : { ...ckpt.config, beam: checkBeam(ckpt.config.task, beam) };
  const rt = TASK_DEFINITIONS[config.task].create(config, new Generator(config.seed), ckpt.vocab);
  try {
    rt.model.loadStateDict(ckpt.model, { strict: true });
  } catch (e) {
    throw new RuntimeError(`checkpoint ${ckpt.dir} does not match its config: ${(e as Error).message}`);
  }
  rt.model.eval();
  return { rt, config, ckpt };
}

/** `predict --beam`: a beam width for the encoder–decoder tasks (g2p, translate) only. */
export function checkBeam(task: TrainConfig["task"], beam: number): number {
  if (task !== "g2p" && task !== "translate") throw new UsageError(`predict: --beam applies to g2p and translate (beam-search decoding), not to '${task}'`);
  return beam;
}

/** `heed predict` on the Heed engine: a checkpoint restored once (with `beam` instead of its --beam if given), then batches of inputs. */
export function heedPredictor(path: string, beam?: number): (inputs: readonly string[]) => string[] {
  const { rt } = restore(path, beam);
  return (inputs) => noGrad(() => rt.predict([...inputs]));
}
