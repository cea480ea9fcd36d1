import { getBackend, type Generator } from "@heed/tensor-core";
import { setNumThreads } from "@heed/tensor-core/node";
import type { TrainConfig } from "../config.js";
import type { TaskRuntime } from "../task.js";
import { DataParallel, localStepper, type TrainStepper } from "./data-parallel.js";

export { dropoutSeed } from "./replica.js";
export type { TrainStepper } from "./data-parallel.js";

/**
 * How `heed train --threads N` uses N threads: N data-parallel replicas (one-thread kernels each)
 * when the task can split its batches (`TaskRuntime.splitBatch`), else one replica whose
 * WebAssembly kernels run on N threads. N = 1: one replica, one thread.
 */
export function trainStepper(rt: TaskRuntime, dropoutRng: Generator, config: TrainConfig, threads: number): Promise<TrainStepper> {
  if (threads > 1 && rt.splitBatch !== undefined) return DataParallel.start(rt, dropoutRng, config, threads);
  if (threads > 1 && getBackend() === "wasm") setNumThreads(threads);
  return Promise.resolve(localStepper(rt, dropoutRng, config));
}
