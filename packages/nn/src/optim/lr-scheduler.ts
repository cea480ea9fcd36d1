import { checkOptions, classTypeName, describeValue } from "@heed/tensor-core";
import { Optimizer } from "./optimizer.js";

type AnyOptimizer = Optimizer<{ lr: number }>;

/** lr of a group at `epoch`, given its base (initial) lr. */
export type Schedule = (epoch: number, baseLr: number) => number;

/**
 * A learning-rate schedule (torch.optim.lr_scheduler): construction records each group's base
 * lr and applies the epoch-0 value; every `step()` advances one epoch (or iteration) and sets
 * `lr = schedule(epoch, baseLr)` on every group. Closed forms are used, so the lr depends only
 * on the epoch counter, which `stateDict()` saves.
 */
export class LRScheduler {
  readonly optimizer: AnyOptimizer;
  readonly schedule: Schedule;
  baseLrs: number[];
  lastEpoch = 0;

  /**
   * The scheduler's name in errors. Every Heed scheduler sets its own (bundlers and minifiers rename
   * classes); a subclass that does not is shown by its `constructor.name`.
   */
  static readonly typeName: string = "LRScheduler";

  /** This scheduler's display name: its class's own `static typeName`, else its `constructor.name`. */
  get typeName(): string {
    return classTypeName(this.constructor);
  }

  constructor(optimizer: AnyOptimizer, schedule: Schedule) {
    if (!(optimizer instanceof Optimizer)) {
      throw new Error(`${classTypeName(new.target)}: expected an optimizer (new SGD(…), new Adam(…)) as the first argument, got ${describeValue(optimizer)}`);
    }
    if (typeof schedule !== "function") throw new Error(`${classTypeName(new.target)}: the schedule must be a function, got ${typeof schedule}`);
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.#apply();
  }

  /** Set every group's lr from the schedule; a NaN or negative one (a bad gamma or lrLambda) throws. */
  #apply(): void {
    const lrs = this.optimizer.paramGroups.map((_, i) => this.schedule(this.lastEpoch, this.baseLrs[i]!));
    lrs.forEach((lr, i) => {
      if (typeof lr !== "number" || !(lr >= 0)) {
        throw new Error(`${this.typeName}: the schedule gives learning rate ${describeValue(lr)} for parameter group ${i} at epoch ${this.lastEpoch} (base lr ${this.baseLrs[i]}); it must be a number >= 0`);
      }
    });
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]!));
  }

  /** Advance one epoch/iteration and update the optimizer's learning rates. */
  step(): void {
    if (arguments.length > 0) {
      throw new Error(`${this.typeName}.step: takes no arguments, got ${arguments.length} (PyTorch's deprecated step(epoch) is not supported: each step() advances one epoch; set lastEpoch through loadStateDict)`);
    }
    this.lastEpoch += 1;
    this.#apply();
  }

  /** The learning rates last set, one per group (torch `get_last_lr()`). */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): { lastEpoch: number; baseLrs: number[] } {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(state: { lastEpoch: number; baseLrs: number[] }): void {
    const s = state as Partial<{ lastEpoch: unknown; baseLrs: unknown }> | null;
    if (typeof s !== "object" || s === null || !Number.isInteger(s.lastEpoch) || (s.lastEpoch as number) < 0 || !Array.isArray(s.baseLrs) || !s.baseLrs.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0)) {
      throw new Error(`${this.typeName}.loadStateDict: expected a scheduler's stateDict() ({ lastEpoch, baseLrs }), got ${describeValue(state)}`);
    }
    if (state.baseLrs.length !== this.baseLrs.length) {
      throw new Error(`${this.typeName}.loadStateDict: ${state.baseLrs.length} base learning rates for ${this.baseLrs.length} parameter groups`);
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.#apply();
  }
}

function positiveInt(name: string, key: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name}: ${key} must be a positive integer, got ${v}`);
  return v;
}

/** A finite number >= 0 (at most `max`): checked when the schedule is made, not when a NaN or negative lr comes out of it later. */
function nonNegative(name: string, key: string, v: unknown, max = Infinity): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) {
    throw new Error(`${name}: ${key} must be ${max === Infinity ? "a finite number >= 0" : `a number in [0, ${max}]`}, got ${describeValue(v)}`);
  }
  return v;
}

/**
 * lr = base · lrLambda(epoch) (torch LambdaLR).
 *
 * @example
 * const sched = new LambdaLR(opt, warmupInverseSqrt(4000));
 */
export class LambdaLR extends LRScheduler {
  static override readonly typeName: string = "LambdaLR";

  constructor(optimizer: AnyOptimizer, lrLambda: (epoch: number) => number) {
    if (typeof lrLambda !== "function") throw new Error(`LambdaLR: lrLambda must be a function, got ${typeof lrLambda}`);
    super(optimizer, (epoch, base) => base * lrLambda(epoch));
  }
}

/** lr = base · gamma^⌊epoch / stepSize⌋ (torch StepLR). */
export class StepLR extends LRScheduler {
  static override readonly typeName: string = "StepLR";

  constructor(optimizer: AnyOptimizer, options: { stepSize: number; gamma?: number }) {
    const { stepSize, gamma = 0.1 } = checkOptions("StepLR", options, { stepSize: true, gamma: true });
    positiveInt("StepLR", "stepSize", stepSize);
    nonNegative("StepLR", "gamma", gamma);
    super(optimizer, (epoch, base) => base * gamma ** Math.floor(epoch / stepSize));
  }
}

/** lr = base · gamma^epoch (torch ExponentialLR). */
export class ExponentialLR extends LRScheduler {
  static override readonly typeName: string = "ExponentialLR";

  constructor(optimizer: AnyOptimizer, options: { gamma: number }) {
    const { gamma } = checkOptions("ExponentialLR", options, { gamma: true });
    nonNegative("ExponentialLR", "gamma", gamma);
    super(optimizer, (epoch, base) => base * gamma ** epoch);
  }
}

/** lr = etaMin + (base − etaMin)·(1 + cos(π·epoch / tMax)) / 2 (torch CosineAnnealingLR, closed form). */
export class CosineAnnealingLR extends LRScheduler {
  static override readonly typeName: string = "CosineAnnealingLR";

  constructor(optimizer: AnyOptimizer, options: { tMax: number; etaMin?: number }) {
    const { tMax, etaMin = 0 } = checkOptions("CosineAnnealingLR", options, { tMax: true, etaMin: true });
    positiveInt("CosineAnnealingLR", "tMax", tMax);
    nonNegative("CosineAnnealingLR", "etaMin", etaMin);
    super(optimizer, (epoch, base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2);
  }
}

/** lr = base · (start + (end − start)·min(epoch, totalIters) / totalIters) (torch LinearLR). */
export class LinearLR extends LRScheduler {
  static override readonly typeName: string = "LinearLR";

  constructor(optimizer: AnyOptimizer, options?: { startFactor?: number; endFactor?: number; totalIters?: number }) {
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = checkOptions("LinearLR", options, { startFactor: true, endFactor: true, totalIters: true });
    if (!(startFactor > 0 && startFactor <= 1)) throw new Error(`LinearLR: startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new Error(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    positiveInt("LinearLR", "totalIters", totalIters);
    super(optimizer, (epoch, base) => base * (startFactor + ((endFactor - startFactor) * Math.min(epoch, totalIters)) / totalIters));
  }
}

/**
 * Linear warm-up: lr = base · min(1, (epoch + 1) / warmupSteps), so the first step already
 * trains at base/warmupSteps and step `warmupSteps − 1` reaches the base lr, which then stays.
 */
export class LinearWarmup extends LRScheduler {
  static override readonly typeName: string = "LinearWarmup";

  constructor(optimizer: AnyOptimizer, warmupSteps: number) {
    positiveInt("LinearWarmup", "warmupSteps", warmupSteps);
    super(optimizer, (epoch, base) => base * Math.min(1, (epoch + 1) / warmupSteps));
  }
}

/**
 * The Transformer's schedule (Vaswani et al. 2017, §5.3) normalised to peak 1, for `LambdaLR`:
 * with n = epoch + 1, factor = min(n / warmupSteps, √(warmupSteps / n)) — linear warm-up to 1 at
 * n = warmupSteps, then inverse square-root decay.
 */
export function warmupInverseSqrt(warmupSteps: number): (epoch: number) => number {
  positiveInt("warmupInverseSqrt", "warmupSteps", warmupSteps);
  return (epoch) => {
    const n = epoch + 1;
    return Math.min(n / warmupSteps, Math.sqrt(warmupSteps / n));
  };
}

/**
 * The Transformer's ("Noam") schedule with its absolute scale: lr = factor · dModel^−½ ·
 * min(n^−½, n · warmupSteps^−1.5), n = epoch + 1. The optimizer's own lr is ignored.
 */
export class NoamLR extends LRScheduler {
  static override readonly typeName: string = "NoamLR";

  constructor(optimizer: AnyOptimizer, options: { dModel: number; warmupSteps: number; factor?: number }) {
    const { dModel, warmupSteps, factor = 1 } = checkOptions("NoamLR", options, { dModel: true, warmupSteps: true, factor: true });
    positiveInt("NoamLR", "dModel", dModel);
    positiveInt("NoamLR", "warmupSteps", warmupSteps);
    nonNegative("NoamLR", "factor", factor);
    super(optimizer, (epoch) => factor * dModel ** -0.5 * Math.min((epoch + 1) ** -0.5, (epoch + 1) * warmupSteps ** -1.5));
  }
}

/**
 * Linear warm-up then cosine decay to `minFactor`, for `LambdaLR`: factor = (epoch + 1) /
 * warmupSteps during warm-up, then minFactor + (1 − minFactor)·(1 + cos(π·progress)) / 2 with
 * progress going from 0 to 1 between warmupSteps and totalSteps (held at minFactor after).
 */
export function warmupCosine(warmupSteps: number, totalSteps: number, minFactor = 0): (epoch: number) => number {
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0 && totalSteps > warmupSteps)) {
    throw new Error(`warmupCosine: need integers 0 <= warmupSteps < totalSteps, got warmupSteps=${warmupSteps}, totalSteps=${totalSteps}`);
  }
  nonNegative("warmupCosine", "minFactor", minFactor, 1);
  return (epoch) => {
    if (epoch < warmupSteps) return (epoch + 1) / warmupSteps;
    const progress = Math.min(1, (epoch - warmupSteps) / (totalSteps - warmupSteps));
    return minFactor + ((1 - minFactor) * (1 + Math.cos(Math.PI * progress))) / 2;
  };
}
