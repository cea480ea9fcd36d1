/**
 * The tape engine: `record` adds a node per differentiable op, `runBackward` walks the
 * nodes reachable from a root in reverse topological order, runs each gradient rule
 * with recording off, sums gradients that meet (with `add`), reduces each one to its
 * input's shape (the one unbroadcast), and returns the gradients reaching the leaves.
 * Unless the graph is retained, every visited node is freed as soon as its rule has run.
 */
import {
  add, cast, checkOptions, closeStorageScope, describeValue, formatShape, isFloat, onesLike, openStorageScope, shapesEqual, Tensor,
  type AutogradEngine, type BackwardOptions, type OpAttrs, type OpName, type OptionKeys,
} from "@heed/tensor-core";
import { Ledger } from "./ledger.js";
import { isGradEnabled, noGrad } from "./mode.js";
import { Node, nodeOf, type Backward } from "./node.js";
import { noteKept, noteNode } from "./release-activations.js";
import { nonDifferentiable, rules, type Rule } from "./rules/index.js";
import { sumToShape } from "./unbroadcast.js";

/**
 * Attach a node for `output` (made by `name` from `inputs`) so gradients flow through it.
 * `keepsSaved` false: nothing but this node holds `attrs` (a custom op's saved arrays).
 */
export function attach(
  name: string, inputs: readonly Tensor[], attrs: unknown, output: Tensor, backward: Backward, keepsGradients = true, keepsSaved = true,
): void {
  const node = new Node(name, inputs, attrs, output, backward, keepsGradients);
  output.gradFn = node;
  output.requiresGrad = true;
  noteNode(node, output, keepsSaved ? undefined : attrs); // a saved only the node holds dies with it (release-activations.ts)
}

/** Called by tensor-core's `run()` after an op when an input requires gradients and recording is on. */
export function record<P extends OpName>(op: P, inputs: readonly Tensor[], attrs: OpAttrs[P], output: Tensor): void {
  const rule = (rules as Partial<typeof rules>)[op]; // the table is exhaustive, unless the build was skipped
  // Non-differentiable ops, integer/bool results, and kernels that return an input unchanged record nothing.
  if (rule === nonDifferentiable || !isFloat(output.dtype) || inputs.includes(output)) return;
  // tensor-core's run() passes the inputs and attributes of `op`, which is what Rule<P> expects.
  // The rules (rules/) keep nothing: their gradients' storage may be reused within the pass.
  attach(op, inputs, attrs, output, rule === undefined ? missingRule(op) : (rule as Rule<OpName> as Backward), false);
}

function missingRule(op: string): Backward {
  return (_g, inputs) => {
    throw new Error(`backward: no gradient for op '${op}' (inputs: ${inputs.map((t) => formatShape(t.shape)).join(", ")})`);
  };
}

/** Nodes reachable from `root`, each after every node that consumes it (root first). */
function reverseTopological(root: Node): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>([root]);
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    const inputs = node.inputs; // throws if the node was freed
    if (next < inputs.length) {
      top[1] = next + 1;
      const child = nodeOf(inputs[next]!);
      if (child !== null && !seen.has(child)) {
        if (child.freed) throw child.freedError();
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order.reverse();
}

/**
 * Sum gradients that meet: the first one is kept as is (it may be shared with other inputs or
 * the caller), the second makes a fresh sum with `add`, and later ones are added into that sum
 * in place. `owned` holds the sums this backward pass created and nobody else has seen yet:
 * a sum leaves it when a rule consumes it. A gradient whose storage the ledger says only this
 * entry holds is summed into in place too. In-place float32/float64 addition gives the bits of
 * `add` (one correctly rounded sum per element, in the same order).
 */
function accumulate<K>(map: Map<K, Tensor>, key: K, g: Tensor, owned: Set<Tensor>, ledger: Ledger): void {
  const prev = map.get(key);
  if (prev === undefined) {
    map.set(key, g);
    ledger.hold(g);
    return;
  }
  if ((owned.has(prev) || ledger.sole(prev)) && addInto(prev, g)) return;
  const total = add(prev, g);
  if (total !== prev && total !== g && total.data !== prev.data && total.data !== g.data) owned.add(total);
  map.set(key, total);
  ledger.hold(total);
  ledger.drop(prev);
}

/** dst += src element by element when both are dense float arrays of one dtype and size. */
function addInto(dst: Tensor, src: Tensor): boolean {
  const [d, s] = [dst.data, src.data];
  const float = (d instanceof Float32Array && s instanceof Float32Array) || (d instanceof Float64Array && s instanceof Float64Array);
  if (!float || d.length !== s.length || d.length !== dst.size || !shapesEqual(dst.shape, src.shape)) return false;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! + s[i]!;
  return true;
}

/**
 * Whether gradients must flow into each input of each node: `requiresGrad`, or, with
 * `targets`, only into inputs from which a target leaf can be reached (so `grad(f, 0)`
 * does not differentiate the parameters `f` closes over). `order` is root first.
 */
function needsGradOf(order: readonly Node[], targets: ReadonlySet<Tensor> | null): Map<Node, boolean[]> {
  const needs = new Map<Node, boolean[]>();
  const useful = (t: Tensor): boolean => {
    if (!t.requiresGrad) return false;
    if (targets === null) return true;
    const child = nodeOf(t);
    return child === null ? targets.has(t) : needs.get(child)?.includes(true) === true;
  };
  for (let k = order.length - 1; k >= 0; k--) needs.set(order[k]!, order[k]!.inputs.map(useful)); // inputs before consumers
  return needs;
}

/**
 * Backpropagate `seed` (shaped like `root`) and return the gradient reaching every leaf
 * that requires gradients (or only the `targets`). Frees the graph unless `retainGraph`.
 */
export function runBackward(root: Tensor, seed: Tensor, retainGraph: boolean, targets: ReadonlySet<Tensor> | null = null): Map<Tensor, Tensor> {
  const leaves = new Map<Tensor, Tensor>();
  const rootNode = nodeOf(root);
  if (rootNode === null) {
    if (targets === null || targets.has(root)) leaves.set(root, seed);
    noteKept(seed);
    return leaves;
  }
  const order = reverseTopological(rootNode);
  const needs = needsGradOf(order, targets);
  const pending = new Map<Node, Tensor>([[rootNode, seed]]);
  const owned = new Set<Tensor>();
  const scope = openStorageScope();
  const ledger = new Ledger(scope);
  ledger.hold(seed);
  try {
    noGrad(() => {
      for (const node of order) {
        const g = pending.get(node);
        pending.delete(node);
        if (g !== undefined) owned.delete(g); // handed to a rule, which may pass it on to several inputs
        const needsGrad = needs.get(node)!;
        if (g !== undefined && needsGrad.includes(true)) backwardOf(node, g, needsGrad, pending, leaves, owned, ledger);
        if (g !== undefined) ledger.drop(g);
        if (!retainGraph) node.free();
      }
    });
  } finally {
    closeStorageScope(scope);
  }
  for (const g of leaves.values()) noteKept(g); // gradients leave backward: never a step's activations to reuse
  return leaves;
}

/**
 * Run `node`'s rule on its gradient `g` and add what it returns to the pending gradients of
 * the nodes that made its inputs (or to `leaves`). Every returned gradient is held by the
 * ledger until it is summed, so none is written in place or released while another still
 * waits; a rule that may keep gradients (a user's custom backward) disowns all it saw.
 */
function backwardOf(
  node: Node, g: Tensor, needsGrad: readonly boolean[], pending: Map<Node, Tensor>, leaves: Map<Tensor, Tensor>, owned: Set<Tensor>, ledger: Ledger,
): void {
  const inputs = node.inputs;
  const mark = ledger.scope?.mark() ?? 0;
  const grads = node.backward(g, needsGrad);
  if (node.keepsGradients) {
    ledger.disown(g);
    ledger.scope?.disownSince(mark);
  }
  if (grads.length !== inputs.length) {
    throw new Error(`backward: gradient rule of ${node.describe()} returned ${grads.length} gradients for ${inputs.length} inputs`);
  }
  const used = (i: number): Tensor | null => (needsGrad[i] ? (grads[i] ?? null) : null);
  for (let i = 0; i < inputs.length; i++) {
    const gi = used(i);
    if (gi !== null) ledger.hold(gi);
  }
  if (!node.keepsGradients) ledger.releaseUnheldSince(mark); // what the rule made and did not return is dead
  for (let i = 0; i < inputs.length; i++) {
    const gi = used(i);
    if (gi === null) continue;
    const x = inputs[i]!;
    let fitted = sumToShape(gi, x.shape, `backward: gradient rule of ${node.describe()}, input ${i}`);
    if (fitted.dtype !== x.dtype) fitted = cast(fitted, x.dtype);
    if (fitted !== gi) ledger.hold(fitted);
    const child = nodeOf(x);
    if (child !== null) accumulate(pending, child, fitted, owned, ledger);
    else accumulate(leaves, x, fitted, owned, ledger);
    if (fitted !== gi) ledger.drop(fitted);
    ledger.drop(gi);
  }
}

/** The gradient that starts backward: ones for a one-element root, else the checked upstream. */
export function seedFor(who: string, root: Tensor, grad: Tensor | undefined): Tensor {
  if (!root.requiresGrad) {
    throw new Error(
      `${who}: the tensor (shape ${formatShape(root.shape)}, dtype '${root.dtype}') does not require gradients and has no gradFn; ` +
        "mark its inputs with requiresGrad_() (outside noGrad) before computing it",
    );
  }
  const origin = nodeOf(root)?.name;
  const from = origin === undefined ? "" : ` from op '${origin}'`;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `${who}: an upstream gradient is required for a non-scalar output of shape ${formatShape(root.shape)}${from} ` +
          `(pass a tensor of shape ${formatShape(root.shape)}, or reduce the output to a scalar first)`,
      );
    }
    return onesLike(root);
  }
  if (!(grad instanceof Tensor)) {
    const plain = typeof grad === "object" && grad !== null && Object.getPrototypeOf(grad) === Object.prototype;
    const options = who === "backward" && plain ? "; options go second: y.backward(undefined, { retainGraph: true })" : "";
    throw new Error(`${who}: expected the upstream gradient as a Tensor of the output's shape ${formatShape(root.shape)}, got ${describeValue(grad)}${options}`);
  }
  if (!shapesEqual(grad.shape, root.shape)) {
    throw new Error(`${who}: upstream gradient of shape ${formatShape(grad.shape)} does not match the output shape ${formatShape(root.shape)}${from}`);
  }
  return grad.dtype === root.dtype ? grad : noGrad(() => cast(grad, root.dtype));
}

/**
 * Make the gradients in `grads` own their storage: a rule may hand the same tensor (add)
 * or a storage-sharing view (reshape) to several inputs, and an optimizer may update
 * `.grad` in place. `reserved` is storage the caller already exposes (the upstream).
 */
export function ownStorage<K>(grads: Map<K, Tensor>, reserved: Tensor | undefined): void {
  const used = new Set<unknown>(reserved === undefined ? [] : [reserved.data]);
  for (const [key, g] of grads) {
    if (used.has(g.data)) grads.set(key, g.clone());
    else used.add(g.data);
  }
}

const BACKWARD_KEYS: OptionKeys<BackwardOptions> = { retainGraph: true };

/** PyTorch-style `tensor.backward()`: accumulate into `.grad` of every leaf that requires gradients. */
function backward(root: Tensor, grad: Tensor | undefined, options: BackwardOptions | undefined): void {
  const { retainGraph = false } = checkOptions("backward", options, BACKWARD_KEYS);
  const seed = seedFor("backward", root, grad);
  const leaves = runBackward(root, seed, retainGraph);
  ownStorage(leaves, grad);
  noGrad(() => {
    for (const [leaf, g] of leaves) leaf.grad = leaf.grad === null ? g : add(leaf.grad, g);
  });
}

/** The engine installed into tensor-core by `@heed/autograd`'s entry point. */
export const engine: AutogradEngine = { isRecording: isGradEnabled, record, backward };
