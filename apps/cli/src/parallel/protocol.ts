import type { TrainConfig } from "../config.js";

/** What a replica worker starts from (its `workerData`). */
export interface ReplicaInit {
  rank: number;
  backend: string;
  config: TrainConfig;
  /** the trainer's `rt.vocab()`: the worker rebuilds the same tokenizers */
  vocab: unknown;
  /** float32 count of the model's parameters (a check that the worker built the same model) */
  paramCount: number;
  /** shared float32 weights, written by the trainer before every step */
  params: SharedArrayBuffer;
  /** this worker's shared float32 gradients and per-parameter "has a gradient" bytes */
  grads: SharedArrayBuffer;
  has: SharedArrayBuffer;
}

export type ReplicaReply = { type: "ready" } | { type: "done"; loss: number } | { type: "error"; message: string };
