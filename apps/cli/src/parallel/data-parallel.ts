import { Worker } from "node:worker_threads";
import { getBackend, type Generator } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { RuntimeError } from "../errors.js";
import type { TaskRuntime } from "../task.js";
import { combineGrads, combineLosses, type ReplicaGrads } from "./combine.js";
import type { ReplicaInit, ReplicaReply } from "./protocol.js";
import { Replica } from "./replica.js";

/** How the trainer gets a batch's loss and gradients: on its own thread, or over replicas. */
export interface TrainStepper {
  readonly replicas: number;
  /**
   * Forward and backward of the whole batch for optimizer step `step` (dropout re-seeded from
   * it): leaves the batch's gradient on the model's parameters, returns the batch's mean loss.
   */
  lossAndGrads(batch: unknown, step: number): Promise<number>;
  /** Stop the worker threads (if any). */
  close(): Promise<void>;
}

/** One replica on the trainer's thread: exactly the step `heed train` has always run. */
export function localStepper(rt: TaskRuntime, dropoutRng: Generator, config: TrainConfig): TrainStepper {
  const replica = new Replica(rt, dropoutRng, config, 0);
  return {
    replicas: 1,
    lossAndGrads: (batch, step) => Promise.resolve(replica.compute({ batch, weight: 1 }, step)),
    close: () => Promise.resolve(),
  };
}

interface Pending {
  resolve: (loss: number) => void;
  reject: (err: Error) => void;
}

/** A worker thread running one replica, answering one request at a time. */
class ReplicaWorker {
  readonly #worker: Worker;
  readonly grads: ReplicaGrads;
  #pending: Pending | null = null;
  #failure: Error | null = null;
  readonly ready: Promise<void>;

  constructor(init: ReplicaInit) {
    this.grads = { grads: new Float32Array(init.grads), has: new Uint8Array(init.has) };
    this.#worker = new Worker(new URL("./replica-worker.js", import.meta.url), { workerData: init, name: `heed-replica-${init.rank}` });
    const fail = (message: string) => {
      this.#failure ??= new RuntimeError(`train: data-parallel replica ${init.rank} failed: ${message}`);
      this.#pending?.reject(this.#failure);
      this.#pending = null;
    };
    this.ready = new Promise<void>((resolve, reject) => {
      this.#pending = { resolve: () => resolve(), reject };
    });
    this.#worker.on("message", (m: ReplicaReply) => {
      const p = this.#pending;
      this.#pending = null;
      if (m.type === "error") {
        this.#pending = p;
        fail(m.message);
      } else {
        p?.resolve(m.type === "done" ? m.loss : 0);
        this.#worker.unref(); // idle: never keeps the process alive (an error in the trainer ends it)
      }
    });
    this.#worker.on("error", (err) => fail(err.message));
    this.#worker.on("exit", (code) => fail(`its thread exited (code ${code})`));
  }

  run(step: number, part: { batch: unknown; weight: number }): Promise<number> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    this.#worker.ref();
    return new Promise<number>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage({ step, part });
    });
  }

  async close(): Promise<void> {
    this.#failure ??= new RuntimeError("train: data-parallel replicas are closed");
    await this.#worker.terminate();
  }
}

/**
 * Data-parallel training over `n` replicas of the model (what PyTorch's DistributedDataParallel
 * does, on threads): the trainer's thread runs replica 0 on its own model and n − 1 worker
 * threads the others. Every step the trainer publishes its weights in shared memory, each replica
 * runs forward and backward on its part of the batch (`TaskRuntime.splitBatch`), and the trainer
 * combines the parts' gradients in rank order, weighted by their loss terms (`combineGrads`), so
 * the trainer's single optimizer step — clipping included — sees the whole batch's gradient.
 */
export class DataParallel implements TrainStepper {
  readonly #main: Replica;
  readonly #workers: ReplicaWorker[];
  readonly #params: Float32Array;

  private constructor(main: Replica, workers: ReplicaWorker[], params: Float32Array) {
    this.#main = main;
    this.#workers = workers;
    this.#params = params;
  }

  get replicas(): number {
    return this.#workers.length + 1;
  }

  static async start(rt: TaskRuntime, dropoutRng: Generator, config: TrainConfig, n: number): Promise<DataParallel> {
    const main = new Replica(rt, dropoutRng, config, 0);
    const count = main.layout.total;
    const params = new SharedArrayBuffer(4 * count);
    const vocab = rt.vocab();
    const workers = Array.from({ length: n - 1 }, (_, i) => new ReplicaWorker({
      rank: i + 1, backend: getBackend(), config: { ...config }, vocab, paramCount: count, params,
      grads: new SharedArrayBuffer(4 * count), has: new SharedArrayBuffer(main.params.length),
    }));
    const dp = new DataParallel(main, workers, new Float32Array(params));
    try {
      await Promise.all(workers.map((w) => w.ready));
    } catch (err) {
      await dp.close();
      throw err;
    }
    return dp;
  }

  async lossAndGrads(batch: unknown, step: number): Promise<number> {
    const parts = this.#main.rt.splitBatch!(batch, this.replicas);
    this.#main.writeParams(this.#params); // the workers read them before they answer; the trainer changes its weights only after
    const replies = this.#workers.map((w, i) => w.run(step, parts[i + 1]!));
    let own: number;
    try {
      own = this.#main.compute(parts[0]!, step);
    } finally {
      await Promise.allSettled(replies);
    }
    const losses = [own, ...(await Promise.all(replies))];
    const weights = parts.map((p) => p.weight);
    combineGrads(this.#main, weights, this.#workers.map((w) => w.grads));
    return combineLosses(weights, losses);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.close()));
  }
}
