import { describeValue } from "@heed/tensor-core";
/**
 * Whether ops are recorded on the tape. `noGrad(fn)` turns recording off for the
 * duration of `fn` (inference, optimizer updates, gradient rules); `enableGrad(fn)`
 * turns it back on inside a `noGrad` block. Both restore the previous state even if
 * `fn` throws, so they nest. `fn` must be synchronous: the state is restored when it returns.
 */
let enabled = true;

/**
 * True when ops on tensors that require gradients are being recorded.
 *
 * @example
 * noGrad(() => isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return enabled;
}

function withGrad<T>(value: boolean, fn: () => T): T {
  if (typeof fn !== "function") throw new Error(`${value ? "enableGrad" : "noGrad"}: expected a function to run, got ${describeValue(fn)}`);
  const previous = enabled;
  enabled = value;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Run `fn` without recording (torch.no_grad): results do not require gradients and no
 * graph is kept. Returns `fn`'s result.
 *
 * @example
 * const y = noGrad(() => mul(w, x)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withGrad(false, fn);
}

/**
 * Run `fn` with recording on, even inside `noGrad` (torch.enable_grad). Returns `fn`'s result.
 *
 * @example
 * noGrad(() => enableGrad(() => mul(w, x))).requiresGrad; // true when w requires gradients
 */
export function enableGrad<T>(fn: () => T): T {
  return withGrad(true, fn);
}
