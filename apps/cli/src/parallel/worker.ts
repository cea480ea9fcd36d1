/**
 * A worker thread of data-parallel training (`heed train --threads N`): it rebuilds the task
 * (data and model) from the trainer's config and vocabulary, then for every step copies the
 * trainer's weights from shared memory, runs forward and backward on its part of the batch and
 * writes its gradients to its own shared buffer. Built as dist/replica-worker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Generator, setBackend } from "@heed/tensor-core";
import { TASK_DEFINITIONS } from "../tasks/index.js";
import type { BatchPart } from "../task.js";
import type { ReplicaInit, ReplicaReply } from "./protocol.js";
import { Replica } from "./replica.js";

const init = workerData as ReplicaInit;
const port = parentPort!;
const reply = (m: ReplicaReply) => port.postMessage(m);

try {
  if (!setBackend(init.backend)) throw new Error(`backend '${init.backend}' is not available in the worker thread`);
  const rng = new Generator(init.config.seed);
  const rt = TASK_DEFINITIONS[init.config.task].create(init.config, rng, init.vocab);
  const replica = new Replica(rt, rng, init.config, init.rank);
  if (replica.layout.total !== init.paramCount) throw new Error(`the replica has ${replica.layout.total} parameter values, the trainer ${init.paramCount}`);
  const params = new Float32Array(init.params);
  const grads = new Float32Array(init.grads);
  const has = new Uint8Array(init.has);
  rt.model.train();
  port.on("message", (m: { step: number; part: BatchPart }) => {
    try {
      replica.readParams(params);
      const loss = replica.compute(m.part, m.step);
      replica.writeGrads(grads, has);
      reply({ type: "done", loss });
    } catch (err) {
      reply({ type: "error", message: err instanceof Error ? err.message : String(err) });
    }
  });
  reply({ type: "ready" });
} catch (err) {
  reply({ type: "error", message: err instanceof Error ? err.message : String(err) });
}
