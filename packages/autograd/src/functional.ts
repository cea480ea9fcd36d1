/**
 * JAX-style transformations. They differentiate with respect to fresh leaves (detached
 * copies of the arguments that share their storage), so they never touch the user's
 * `.grad` fields, and they free the graph before returning.
 */
import { describeValue, formatShape, isFloat, shapesEqual, Tensor, zerosLike } from "@heed/tensor-core";
import { ownStorage, runBackward, seedFor } from "./engine.js";
import { enableGrad } from "./mode.js";

/** Fresh leaves for the arguments at `indices` (others are passed through unchanged). */
function leavesFor(who: string, args: readonly unknown[], indices: readonly number[]): unknown[] {
  const out = args.slice();
  for (const i of indices) {
    const a = args[i];
    if (!(a instanceof Tensor)) throw new Error(`${who}: argument ${i} is ${a === undefined ? "missing" : `a ${typeof a}`}, not a Tensor`);
    if (!isFloat(a.dtype)) {
      throw new Error(`${who}: argument ${i} has dtype '${a.dtype}' (shape ${formatShape(a.shape)}); only float tensors can be differentiated, select others with argnums`);
    }
    out[i] = a.detach().requiresGrad_();
  }
  return out;
}

/** Gradients of `output` (seeded with `cotangent`) with respect to `args[indices]`; zeros where f does not depend on them. */
function gradsOf(who: string, output: Tensor, cotangent: Tensor | undefined, args: readonly unknown[], indices: readonly number[]): Tensor[] {
  const targets = indices.map((i) => args[i] as Tensor);
  if (!output.requiresGrad) return targets.map((t) => zerosLike(t));
  const leaves = runBackward(output, seedFor(who, output, cotangent), false, new Set(targets));
  ownStorage(leaves, cotangent);
  return targets.map((t) => leaves.get(t) ?? zerosLike(t));
}

/** `argnums` must be undefined, an integer or an array of integers; the error names `who`. */
function checkArgnums(who: string, argnums: unknown): void {
  const list = argnums === undefined ? [] : typeof argnums === "number" ? [argnums] : Array.isArray(argnums) ? (argnums as unknown[]) : null;
  if (list === null || !list.every((i) => Number.isInteger(i))) {
    throw new Error(`${who}: expected argnums to be an argument index or an array of indices, got ${describeValue(argnums)}`);
  }
}

function selected(args: readonly unknown[], argnums: number | readonly number[] | undefined): number[] {
  if (argnums === undefined) return args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
  return typeof argnums === "number" ? [argnums] : argnums.slice();
}

function checkScalar(who: string, out: unknown): Tensor {
  if (!(out instanceof Tensor)) throw new Error(`${who}: f must return a Tensor, got ${typeof out}`);
  if (out.size !== 1) throw new Error(`${who}: f must return a scalar (one-element) tensor, got shape ${formatShape(out.shape)}`);
  return out;
}

type Fn<A extends unknown[]> = (...args: A) => Tensor;

/** `f` must be a function; the error names `fn` (instead of a TypeError when it is called). */
function checkFunction(fn: string, f: unknown): void {
  if (typeof f !== "function") throw new Error(`${fn}: expected 'f' to be a function, got ${describeValue(f)}`);
}

/**
 * `valueAndGrad(f)(...args)` returns `[f(...args), gradients]` (jax.value_and_grad). `f`
 * returns a scalar tensor. Gradients are taken with respect to every Tensor argument
 * (an array, in argument order), the arguments listed in `argnums` (an array), or the
 * single argument `argnums` (a tensor).
 *
 * @example
 * const [loss, [dw, db]] = valueAndGrad((w: Tensor, b: Tensor) => sum(square(add(mul(w, x), b))))(w, b);
 */
export function valueAndGrad<A extends unknown[]>(f: Fn<A>, argnums: number): (...args: A) => [Tensor, Tensor];
export function valueAndGrad<A extends unknown[]>(f: Fn<A>, argnums?: readonly number[]): (...args: A) => [Tensor, Tensor[]];
export function valueAndGrad<A extends unknown[]>(f: Fn<A>, argnums?: number | readonly number[]): (...args: A) => [Tensor, Tensor | Tensor[]] {
  checkFunction("valueAndGrad", f);
  checkArgnums("valueAndGrad", argnums);
  return (...args: A) => {
    const indices = selected(args, argnums);
    const leaves = leavesFor("valueAndGrad", args, indices);
    const out = checkScalar("valueAndGrad", enableGrad(() => f(...(leaves as A))));
    const grads = gradsOf("valueAndGrad", out, undefined, leaves, indices);
    return [out.detach(), typeof argnums === "number" ? grads[0]! : grads];
  };
}

/**
 * `grad(f)(...args)`: the gradient of the scalar `f` (jax.grad), with respect to every
 * Tensor argument (an array), the listed `argnums` (an array) or the single `argnums`.
 *
 * @example
 * const dfdx = grad((x: Tensor) => sum(mul(x, x)), 0)(tensor([1, 2, 3])); // [2, 4, 6]
 */
export function grad<A extends unknown[]>(f: Fn<A>, argnums: number): (...args: A) => Tensor;
export function grad<A extends unknown[]>(f: Fn<A>, argnums?: readonly number[]): (...args: A) => Tensor[];
export function grad<A extends unknown[]>(f: Fn<A>, argnums?: number | readonly number[]): (...args: A) => Tensor | Tensor[] {
  checkFunction("grad", f);
  checkArgnums("grad", argnums);
  const vg = valueAndGrad(f, typeof argnums === "number" ? [argnums] : argnums);
  return (...args: A) => {
    const grads = vg(...args)[1];
    return typeof argnums === "number" ? grads[0]! : grads;
  };
}

/**
 * Vector–Jacobian product (jax.vjp, evaluated): `output = f(...inputs)` and, for each
 * input, `grads[i] = cotangentᵀ·∂output/∂inputs[i]`. `cotangent` has the output's shape
 * (it may be omitted for a one-element output). Every input must be a float tensor.
 *
 * @example
 * const { output, grads } = vjp((x) => mul(x, x), [tensor([1, 2])], tensor([1, 1])); // grads[0] = [2, 4]
 */
export function vjp(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], cotangent?: Tensor): { output: Tensor; grads: Tensor[] } {
  checkFunction("vjp", f);
  if (!Array.isArray(inputs)) throw new Error(`vjp: expected 'inputs' as an array of tensors, got ${describeValue(inputs)}`);
  const indices = inputs.map((_, i) => i);
  const leaves = leavesFor("vjp", inputs, indices) as Tensor[];
  const output = enableGrad(() => f(...leaves));
  if (!(output instanceof Tensor)) throw new Error(`vjp: f must return a Tensor, got ${typeof output}`);
  if (cotangent !== undefined && !(cotangent instanceof Tensor)) {
    throw new Error(`vjp: expected 'cotangent' as a Tensor of the output's shape ${formatShape(output.shape)}, got ${describeValue(cotangent)}`);
  }
  if (cotangent !== undefined && !shapesEqual(cotangent.shape, output.shape)) {
    throw new Error(`vjp: cotangent of shape ${formatShape(cotangent.shape)} does not match the output shape ${formatShape(output.shape)}`);
  }
  const grads = gradsOf("vjp", output, cotangent, leaves, indices);
  return { output: output.detach(), grads };
}
