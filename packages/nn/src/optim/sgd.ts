import { Tensor, type OptionKeys } from "@heed/tensor-core";
import { Optimizer, type FloatArray, type ParamGroup, type ParamsInput, type ParamState, finiteNonNegative } from "./optimizer.js";

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

/**
 * Stochastic gradient descent with torch.optim.SGD's exact update, per element:
 *   g ← ±grad + weightDecay·θ
 *   momentum: b ← g on the first step, else b ← momentum·b + (1 − dampening)·g;
 *             g ← g + momentum·b (nesterov) or g ← b
 *   θ ← θ − lr·g
 * State per parameter: momentum_buffer (only with momentum).
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
const SGD_KEYS: OptionKeys<SGDOptions> = { lr: true, momentum: true, dampening: true, nesterov: true, weightDecay: true, maximize: true };

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super("SGD", params, { lr: NaN, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }, options, SGD_KEYS);
  }

  protected validate(g: ParamGroup<SGDOptions>): void {
    if (Number.isNaN(g.lr)) throw new Error("SGD: the learning rate 'lr' is required (e.g. new SGD(params, { lr: 0.1 }))");
    if (!finiteNonNegative(g.lr)) throw new Error(`SGD: invalid learning rate ${g.lr} (must be a finite number >= 0)`);
    if (!finiteNonNegative(g.momentum)) throw new Error(`SGD: invalid momentum ${g.momentum} (must be a finite number >= 0)`);
    if (typeof g.dampening !== "number" || !Number.isFinite(g.dampening)) throw new Error(`SGD: invalid dampening ${g.dampening} (must be a finite number)`);
    if (!finiteNonNegative(g.weightDecay)) throw new Error(`SGD: invalid weightDecay ${g.weightDecay} (must be a finite number >= 0)`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new Error(`SGD: nesterov momentum requires momentum > 0 and dampening = 0 (momentum: ${g.momentum}, dampening: ${g.dampening})`);
    }
  }

  protected override readonly stateKeys = ["momentum_buffer"] as const;

  protected initState(): ParamState {
    return {};
  }

  protected update(x: FloatArray, grad: FloatArray, state: ParamState, group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, nesterov, weightDecay: wd, maximize } = group;
    let buf: FloatArray | null = null;
    let first = false;
    if (momentum !== 0) {
      if (!(state.momentum_buffer instanceof Tensor)) {
        state.momentum_buffer = new Tensor(new (x.constructor as new (n: number) => FloatArray)(x.length), [x.length]);
        first = true;
      }
      buf = (state.momentum_buffer).data as FloatArray;
    }
    for (let i = 0; i < x.length; i++) {
      let g = maximize ? -grad[i]! : grad[i]!;
      if (wd !== 0) g += wd * x[i]!;
      if (buf !== null) {
        buf[i] = first ? g : momentum * buf[i]! + (1 - dampening) * g;
        g = nesterov ? g + momentum * buf[i]! : buf[i]!;
      }
      x[i] = x[i]! - lr * g;
    }
  }
}
