import { fusedKernelFor, Tensor, type OptionKeys } from "@heed/tensor-core";
import { Optimizer, zerosFor, type FloatArray, type ParamGroup, type ParamsInput, type ParamState, type ParamUpdate, finiteNonNegative } from "./optimizer.js";

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
const ADAM_KEYS: OptionKeys<AdamOptions> = { lr: true, betas: true, eps: true, weightDecay: true, amsgrad: true, maximize: true };

/**
 * Adam (Kingma & Ba, 2015) with torch.optim.Adam's exact update, per element, at step t:
 *   g ← ±grad (+ weightDecay·θ, L2 as in torch.optim.Adam; AdamW instead scales θ by 1 − lr·λ)
 *   m ← m + (1 − β1)(g − m)          v ← β2·v + (1 − β2)·g²      (amsgrad: v̂ ← max(v̂, v))
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
 * State per parameter (PyTorch's names): step, exp_avg, exp_avg_sq (and max_exp_avg_sq).
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class Adam extends Optimizer<AdamOptions> {
  readonly #decoupled: boolean;

  constructor(params: ParamsInput<AdamOptions>, options?: Partial<AdamOptions>, name = "Adam", decoupled = false) {
    super(name, params, decoupled ? { ...ADAM_DEFAULTS, weightDecay: 1e-2 } : ADAM_DEFAULTS, options, ADAM_KEYS);
    this.#decoupled = decoupled;
  }

  protected validate(g: ParamGroup<AdamOptions>): void {
    const name = this.optimizerName;
    if (!finiteNonNegative(g.lr)) throw new Error(`${name}: invalid learning rate ${g.lr} (must be a finite number >= 0)`);
    if (!finiteNonNegative(g.eps)) throw new Error(`${name}: invalid eps ${g.eps} (must be a finite number >= 0)`);
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new Error(`${name}: betas must be a pair [beta1, beta2], got ${JSON.stringify(g.betas)}`);
    const [b1, b2] = g.betas;
    if (!(b1 >= 0 && b1 < 1)) throw new Error(`${name}: invalid beta1 ${b1} (betas: [${g.betas.join(", ")}], must be in [0, 1))`);
    if (!(b2 >= 0 && b2 < 1)) throw new Error(`${name}: invalid beta2 ${b2} (betas: [${g.betas.join(", ")}], must be in [0, 1))`);
    if (!finiteNonNegative(g.weightDecay)) throw new Error(`${name}: invalid weightDecay ${g.weightDecay} (must be a finite number >= 0)`);
  }

  protected override readonly stateKeys = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"] as const;

  protected initState(p: Tensor): ParamState {
    const s: ParamState = { step: 0, exp_avg: zerosFor(p), exp_avg_sq: zerosFor(p) };
    if (this.paramGroups.some((g) => g.amsgrad && g.params.includes(p))) s.max_exp_avg_sq = zerosFor(p);
    return s;
  }

  protected update(x: FloatArray, grad: FloatArray, state: ParamState, group: ParamGroup<AdamOptions>): void {
    this.updateGroup([{ param: x, grad, state }], group);
  }

  /**
   * The group's parameters with the same step count (all of them, unless some missed a
   * gradient on an earlier step) are updated by one multi-tensor kernel call (`adamStepMulti`:
   * one SIMD call over all of them on wasm); every element gets `adamStep`'s bits.
   */
  protected override updateGroup(items: readonly ParamUpdate[], group: ParamGroup<AdamOptions>): void {
    const { lr, eps, weightDecay: wd, amsgrad, maximize } = group;
    const [b1, b2] = group.betas;
    const byStep = new Map<number, ParamUpdate[]>();
    for (const u of items) {
      const step = (u.state.step as number) + 1;
      u.state.step = step;
      if (amsgrad && !(u.state.max_exp_avg_sq instanceof Tensor)) {
        u.state.max_exp_avg_sq = new Tensor(new (u.param.constructor as new (n: number) => FloatArray)(u.param.length), [u.param.length]);
      }
      const list = byStep.get(step);
      if (list === undefined) byStep.set(step, [u]);
      else list.push(u);
    }
    const data = (u: ParamUpdate, key: string): FloatArray => (u.state[key] as Tensor).data as FloatArray;
    for (const [step, list] of byStep) {
      // the backend's fused update (SIMD on wasm; the formulas are in @heed/tensor-core's fused/adam.ts)
      fusedKernelFor("adamStepMulti")({
        params: list.map((u) => u.param), grads: list.map((u) => u.grad),
        ms: list.map((u) => data(u, "exp_avg")), vs: list.map((u) => data(u, "exp_avg_sq")),
        vmaxes: amsgrad ? list.map((u) => data(u, "max_exp_avg_sq")) : null,
        beta1: b1, beta2: b2, eps, maximize,
        stepSize: lr / (1 - b1 ** step),
        bc2Sqrt: Math.sqrt(1 - b2 ** step),
        decay: this.#decoupled ? 1 - lr * wd : 1,
        l2: this.#decoupled ? 0 : wd,
      });
    }
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, θ ← θ·(1 − lr·λ)
 * before the Adam update (torch.optim.AdamW; default weightDecay 1e-2).
 */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, options?: Partial<AdamOptions>) {
    super(params, options, "AdamW", true);
  }
}
