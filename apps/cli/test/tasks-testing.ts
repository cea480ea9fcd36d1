import { Adam } from "@heed/nn";
import { Generator } from "@heed/tensor-core";
import type { TrainConfig } from "../src/config.js";
import type { TaskDefinition, TaskRuntime } from "../src/task.js";

/** A task's defaults with `overrides` (for tests: small models). */
export function configOf(def: TaskDefinition, overrides: Partial<TrainConfig> = {}): TrainConfig {
  return { ...def.defaults, ...overrides, task: def.name };
}

/**
 * `steps` optimizer steps the way the trainer takes them (Adam, the dropout generator reset
 * to a function of (seed, step) before each step), on the batches of epoch 1. Returns the losses.
 */
export function trainSteps(def: TaskDefinition, config: TrainConfig, steps: number): { rt: TaskRuntime; losses: number[] } {
  const rng = new Generator(config.seed);
  const rt = def.create(config, rng);
  const optimizer = new Adam(rt.model.parameters(), { lr: config.lr });
  const batches = rt.batches(1);
  const losses: number[] = [];
  rt.model.train();
  for (let s = 0; s < steps; s++) {
    rng.setState(new Generator(`${config.seed}:dropout:${s}`).getState());
    const loss = rt.loss(batches[s % batches.length]);
    loss.backward();
    optimizer.step();
    optimizer.zeroGrad();
    losses.push(loss.item());
  }
  rt.model.eval();
  return { rt, losses };
}

/** Rebuild a runtime from `rt.vocab()` sent through JSON and `rt`'s weights, as `heed predict` does. */
export function reload(def: TaskDefinition, config: TrainConfig, rt: TaskRuntime): TaskRuntime {
  const vocab: unknown = JSON.parse(JSON.stringify(rt.vocab()));
  const again = def.create(config, new Generator(config.seed + 1000), vocab);
  again.model.loadStateDict(rt.model.stateDict(), { strict: true });
  again.model.eval();
  return again;
}
