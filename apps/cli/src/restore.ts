import { noGrad } from "@heed/autograd";
import { Generator } from "@heed/tensor-core";
import { loadCheckpoint, type LoadedCheckpoint } from "./checkpoint.js";
import type { TrainConfig } from "./config.js";
import { RuntimeError, UsageError } from "./errors.js";
import type { DecodeChoice } from "./decode-flags.js";
import type { TaskRuntime } from "./task.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import { DEFAULT_MBR, MBR_BY_DEFAULT } from "./tasks/translate-mbr.js";

/**
 * Rebuild a task runtime with a checkpoint's weights, ready for inference, decoding as `decode`
 * says (`beam` instead of the checkpoint's --beam; `mbr`: minimum Bayes risk for translate, null
 * for greedy or beam search, absent for the task's default).
 */
export function restore(path: string, decode: DecodeChoice = {}, command = "predict"): { rt: TaskRuntime; config: TrainConfig; ckpt: LoadedCheckpoint } {
  const ckpt = loadCheckpoint(path, "best");
  const { beam, mbr, knn } = decode;
  const config = beam === undefined ? ckpt.config : { ...ckpt.config, beam: checkBeam(ckpt.config.task, beam, command) };
  const rt = TASK_DEFINITIONS[config.task].create(config, new Generator(config.seed), ckpt.vocab);
  try {
    rt.model.loadStateDict(ckpt.model, { strict: true });
  } catch (e) {
    throw new RuntimeError(`checkpoint ${ckpt.dir} does not match its config: ${(e as Error).message}`);
  }
  rt.model.eval();
  if (mbr !== undefined && mbr !== null && rt.setMbr === undefined) throw new UsageError(`${command}: --decode mbr applies to translate (minimum Bayes-risk decoding), not to '${config.task}'`);
  const chosen = mbr !== undefined ? mbr : MBR_BY_DEFAULT && beam === undefined ? DEFAULT_MBR : null;
  rt.setMbr?.(chosen);
  if (knn !== undefined && knn !== null && rt.setKnn === undefined) throw new UsageError(`${command}: --decode knn applies to translate (kNN-MT decoding), not to '${config.task}'`);
  rt.setKnn?.(knn ?? null);
  return { rt, config, ckpt };
}

/** `predict --beam` (or `eval --beam`): a beam width for the encoder–decoder tasks (g2p, translate) only. */
export function checkBeam(task: TrainConfig["task"], beam: number, command = "predict"): number {
  if (task !== "g2p" && task !== "translate") throw new UsageError(`${command}: --beam applies to g2p and translate (beam-search decoding), not to '${task}'`);
  return beam;
}

/** `heed predict` on the Heed engine: a checkpoint restored once (decoding as `decode` says), then batches of inputs. */
export function heedPredictor(path: string, decode: DecodeChoice = {}): (inputs: readonly string[]) => string[] {
  const { rt } = restore(path, decode);
  return (inputs) => noGrad(() => rt.predict([...inputs]));
}
