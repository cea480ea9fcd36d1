import { releaseActivations } from "@heed/autograd";
import { Generator, type Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import type { BatchPart, TaskRuntime } from "../task.js";

/**
 * The dropout generator's state for optimizer step `step` on replica `rank`: `<seed>:dropout:<step>`
 * on replica 0 (the whole batch with one replica, as `heed train` always did) and
 * `<seed>:dropout:<step>:<rank>` on the others, so a run is a function of (seed, replicas) and
 * `--resume` re-seeds every replica from the step alone.
 */
export function dropoutSeed(config: Pick<TrainConfig, "seed">, step: number, rank = 0): Generator {
  return new Generator(rank === 0 ? `${config.seed}:dropout:${step}` : `${config.seed}:dropout:${step}:${rank}`);
}

/** Where each parameter sits in the flat float32 vectors that replicas exchange. */
export interface ParamLayout {
  sizes: number[];
  offsets: number[];
  total: number;
}

export function paramLayout(params: readonly Tensor[]): ParamLayout {
  const sizes = params.map((p) => p.size);
  const offsets: number[] = [];
  let total = 0;
  for (const s of sizes) {
    offsets.push(total);
    total += s;
  }
  return { sizes, offsets, total };
}

/**
 * One model replica of data-parallel training: forward and backward on its part of a batch,
 * with the dropout generator re-seeded from (seed, step, rank). The trainer's thread runs
 * replica 0 on the model it saves; worker threads run the others (./worker.ts).
 */
export class Replica {
  readonly params: Tensor[];
  readonly layout: ParamLayout;

  constructor(readonly rt: TaskRuntime, readonly dropoutRng: Generator, readonly config: TrainConfig, readonly rank: number) {
    this.params = rt.model.parameters();
    this.layout = paramLayout(this.params);
  }

  /**
   * Forward + backward on `part` (its gradients replace any earlier ones); returns its mean loss
   * (0 for an empty part, which leaves no gradients). The step's activations, and the last
   * step's gradients, go back to the storage pool once backward has used them
   * (`releaseActivations`): nothing in the trainer keeps one.
   */
  compute(part: BatchPart, step: number): number {
    if (part.weight === 0) {
      for (const p of this.params) p.grad = null;
      return 0;
    }
    this.dropoutRng.setState(dropoutSeed(this.config, step, this.rank).getState());
    const body = (): number => {
      const loss = this.rt.loss(part.batch);
      const value = loss.item();
      loss.backward();
      return value;
    };
    // the last step's gradients are dead (the optimizer has used them): their storage is reused too
    return releaseActivations(body, { replaceGradients: this.params });
  }

  /** Set the weights from the flat vector (the trainer's weights after its last optimizer step). */
  readParams(flat: Float32Array): void {
    this.params.forEach((p, i) => (p.data as Float32Array).set(flat.subarray(this.layout.offsets[i], this.layout.offsets[i]! + this.layout.sizes[i]!)));
  }

  writeParams(flat: Float32Array): void {
    this.params.forEach((p, i) => flat.set(p.data, this.layout.offsets[i]));
  }

  /** The gradients into `flat`, and per parameter whether it has one (`has[i]` = 1). */
  writeGrads(flat: Float32Array, has: Uint8Array): void {
    this.params.forEach((p, i) => {
      has[i] = p.grad === null ? 0 : 1;
      if (p.grad !== null) flat.set(p.grad.data, this.layout.offsets[i]);
    });
  }
}
