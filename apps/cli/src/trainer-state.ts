import { z } from "zod";

/** A number that JSON may have stored as null (JSON has no NaN): null reads back as NaN. */
const numberOrNaN = z.number().nullable().transform((v) => v ?? Number.NaN);

const epochRecordSchema = z.object({
  epoch: z.int().min(1),
  step: z.int().min(0),
  loss: numberOrNaN,
  testLoss: numberOrNaN,
  validLoss: numberOrNaN,
  /** the task's selection metric on the validation split, when it is not the validation loss */
  validScore: numberOrNaN.optional(),
  metrics: z.record(z.string(), numberOrNaN),
  seconds: z.number().min(0),
});

/** One line of metrics.jsonl: the numbers at the end of an epoch (or of a stopped run). */
export type EpochRecord = z.output<typeof epochRecordSchema>;

/**
 * trainer.json: everything besides the weights and the optimizer that `--resume` needs to go on
 * with the same numbers. Batches are a pure function of (seed, epoch) and dropout is re-seeded
 * from (seed, step), so the sampler position is (epoch, batchInEpoch) and the RNG state is `step`.
 */
export const trainerStateSchema = z.object({
  epoch: z.int().min(1),
  /** batches of `epoch` already done (0 when the epoch has not started) */
  batchInEpoch: z.int().min(0),
  /** optimizer steps in all */
  step: z.int().min(0),
  elapsedSeconds: z.number().min(0),
  history: z.array(epochRecordSchema),
  /** best value so far of the task's validation selection metric (the validation loss for most tasks; picks `best/`) */
  best: z.number().nullable(),
  /** epoch-end evaluations since `best` last improved (early stopping with --patience) */
  sinceBest: z.int().min(0).default(0),
  /** sum and count of this epoch's batch losses */
  runningLoss: z.number(),
  runningCount: z.int().min(0),
  /** the run's first batch loss: the divergence check compares against it */
  firstLoss: z.number().nullable().default(null),
  /** the learning-rate scheduler's state (`LRScheduler.stateDict()`); older checkpoints: derived from `step` */
  schedule: z.object({ lastEpoch: z.int().min(0), baseLrs: z.array(z.number()) }).nullable().default(null),
});

export type TrainerState = z.output<typeof trainerStateSchema>;

export function freshTrainerState(): TrainerState {
  return { epoch: 1, batchInEpoch: 0, step: 0, elapsedSeconds: 0, history: [], best: null, sinceBest: 0, runningLoss: 0, runningCount: 0, firstLoss: null, schedule: null };
}
