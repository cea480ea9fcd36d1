import { noGrad } from "@heed/autograd";
import { Generator } from "@heed/tensor-core";
import { loadCheckpoint, type LoadedCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import { RuntimeError } from "./errors.js";
import type { TaskRuntime } from "./task.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";

/** Rebuild a task runtime with a checkpoint's weights, ready for inference. */
export function restore(path: string): { rt: TaskRuntime; config: TrainConfig; ckpt: LoadedCheckpoint } {
  const ckpt = loadCheckpoint(path, "best");
  const config = ckpt.config;
  const rt = TASK_DEFINITIONS[config.task].create(config, new Generator(config.seed), ckpt.vocab);
  try {
    rt.model.loadStateDict(ckpt.model, { strict: true });
  } catch (e) {
    throw new RuntimeError(`checkpoint ${ckpt.dir} does not match its config: ${(e as Error).message}`);
  }
  rt.model.eval();
  return { rt, config, ckpt };
}

/** `heed predict` on the Heed engine: a checkpoint restored once, then batches of inputs. */
export function heedPredictor(path: string): (inputs: readonly string[]) => string[] {
  const { rt } = restore(path);
  return (inputs) => noGrad(() => rt.predict([...inputs]));
}
