/**
 * A training step's forward results (activations) go back to tensor-core's pool once backward
 * has used them, for library code that owns the step (a trainer's forward + backward). No
 * finalizer and nothing for users to dispose: the engine knows which nodes backward freed, and
 * what it hands back is poisoned, so a tensor kept past the step throws when read instead of
 * reading storage that was reused.
 */
import { checkOptions, closeStepStorage, describeValue, openStepStorage, retireStorage, Tensor, type OptionKeys, type StorageScope } from "@heed/tensor-core";
import type { Node } from "./node.js";

/** The nodes recorded while a step is open, with the storage each one's death frees. */
class StepRecord {
  readonly nodes: Node[] = [];
  /** Per node: its output's array, then the arrays of a `saved` only its backward holds. */
  readonly arrays: object[][] = [];
  /** Storage that escapes the step (leaf gradients, the result): never retired. */
  readonly kept = new Set<object>();

  constructor(readonly storage: StorageScope) {}

  /**
   * Retire the storage of every node backward freed (its output, its private saved arrays)
   * unless a node that was not freed still holds it as an input (a graph nobody ran backward
   * through), or it is kept; only storage taken from the pool during this step.
   */
  retire(): void {
    const live = new Set<object>(this.kept);
    for (const node of this.nodes) if (!node.freed) for (const x of node.inputs) live.add(x.data);
    this.nodes.forEach((node, i) => {
      if (!node.freed) return;
      for (const data of this.arrays[i]!) {
        if (live.has(data) || !(data instanceof Float32Array) || !this.storage.owns(data)) continue;
        live.add(data); // views of one result share its array: retire it once
        this.storage.retire(data);
      }
    });
  }
}

let open: StepRecord | null = null;

/** The float32 arrays in a custom op's `saved`: a tensor, an array, or one level of an object's or list's values. */
function savedArrays(saved: unknown, into: object[]): void {
  const one = (v: unknown): void => {
    if (v instanceof Tensor) into.push(v.data);
    else if (v instanceof Float32Array) into.push(v);
  };
  if (saved instanceof Tensor || ArrayBuffer.isView(saved)) one(saved);
  else if (Array.isArray(saved)) saved.forEach(one);
  else if (typeof saved === "object" && saved !== null) Object.values(saved).forEach(one);
}

/**
 * Called by `attach` for every node: remember it while a step is open. `saved` is given when
 * only the node's backward holds it (customVjp's `keepsSaved: false`).
 */
export function noteNode(node: Node, output: Tensor, saved?: unknown): void {
  if (open === null) return;
  const arrays: object[] = [output.data];
  if (saved !== undefined) savedArrays(saved, arrays);
  open.nodes.push(node);
  open.arrays.push(arrays);
}

/** Called by backward() for the gradients it leaves on leaves: they outlive the step. */
export function noteKept(t: Tensor): void {
  open?.kept.add(t.data);
}

export interface ReleaseActivationsOptions {
  /**
   * Tensors (a model's parameters) whose current `.grad` is dead when the step starts: their
   * gradients' storage goes back to the pool, `.grad` is set to null (as `zeroGrad`), and the
   * old gradient tensors throw if read. For trainers that replace the gradients every step.
   */
  replaceGradients?: Iterable<Tensor>;
}

const KEYS: OptionKeys<ReleaseActivationsOptions> = { replaceGradients: true };

/**
 * Run `fn` — one training step's forward and backward, in library code that owns the step —
 * and, when it returns, hand the storage of its forward results back to the pool for the next
 * step. Released are the float32 results of ≥ 256 elements made inside `fn` whose graph
 * `backward()` has run through and freed (not `retainGraph`), and that no graph still waiting
 * for backward uses, plus what custom ops with `keepsSaved: false` saved for backward; never
 * parameters, `.grad`s, optimizer or module state, results made under `noGrad`, nor `fn`'s
 * result when it is a tensor. Those tensors (and their views and detached copies) are
 * finished: reading one after `fn` returns throws an error naming this. Read what you need
 * (`loss.item()`) inside `fn`. `fn` must be synchronous; nested calls run inside the outer
 * one. If `fn` throws, nothing is released.
 *
 * @example
 * const value = releaseActivations(() => {
 *   const loss = model.loss(batch); // forward: results taken from the pool
 *   const v = loss.item();
 *   loss.backward();                // gradients on the parameters
 *   return v;                       // after this, the step's activations are reused
 * }, { replaceGradients: model.parameters() });
 * optimizer.step();
 */
export function releaseActivations<T>(fn: () => T, options?: ReleaseActivationsOptions): T {
  if (typeof fn !== "function") throw new Error(`releaseActivations: expected a function to run, got ${describeValue(fn)}`);
  const { replaceGradients } = checkOptions("releaseActivations", options, KEYS);
  for (const t of replaceGradients ?? []) {
    if (t.grad !== null) retireStorage(t.grad.data);
    t.grad = null;
  }
  const storage = open === null ? openStepStorage() : null;
  if (storage === null) return fn();
  const record = new StepRecord(storage);
  open = record;
  let done = false;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new Error("releaseActivations: fn must be synchronous (it returned a Promise); await inside the step is not supported");
    }
    if (result instanceof Tensor) record.kept.add(result.data);
    done = true;
    return result;
  } finally {
    open = null;
    if (done) record.retire();
    closeStepStorage(storage);
  }
}
