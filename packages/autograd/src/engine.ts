/**
 * The tape engine: `record` adds a node per differentiable op, `runBackward` walks the
 * nodes reachable from a root in reverse topological order, runs each gradient rule
 * with recording off, sums gradients that meet (with `add`), reduces each one to its
 * input's shape (the one unbroadcast), and returns the gradients reaching the leaves.
 * Unless the graph is retained, every visited node is freed as soon as its rule has run.
 */
import {
  add, cast, checkOptions, formatShape, isFloat, onesLike, shapesEqual,
  type AutogradEngine, type BackwardOptions, type OpAttrs, type OpName, type OptionKeys, type Tensor,
} from "@heed/tensor-core";
import { isGradEnabled, noGrad } from "./mode.js";
import { Node, nodeOf, type Backward } from "./node.js";
import { nonDifferentiable, rules, type Rule } from "./rules/index.js";
import { sumToShape } from "./unbroadcast.js";

/** Attach a node for `output` (made by `name` from `inputs`) so gradients flow through it. */
export function attach(name: string, inputs: readonly Tensor[], attrs: unknown, output: Tensor, backward: Backward): void {
  output.gradFn = new Node(name, inputs, attrs, output, backward);
  output.requiresGrad = true;
}

/** Called by tensor-core's `run()` after an op when an input requires gradients and recording is on. */
export function record<P extends OpName>(op: P, inputs: readonly Tensor[], attrs: OpAttrs[P], output: Tensor): void {
  const rule = (rules as Partial<typeof rules>)[op]; // the table is exhaustive, unless the build was skipped
  // Non-differentiable ops, integer/bool results, and kernels that return an input unchanged record nothing.
  if (rule === nonDifferentiable || !isFloat(output.dtype) || inputs.includes(output)) return;
  // tensor-core's run() passes the inputs and attributes of `op`, which is what Rule<P> expects.
  attach(op, inputs, attrs, output, rule === undefined ? missingRule(op) : (rule as Rule<OpName> as Backward));
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
 * a sum leaves it when a rule consumes it. In-place float32/float64 addition gives the bits of
 * `add` (one correctly rounded sum per element, in the same order).
 */
function accumulate<K>(map: Map<K, Tensor>, key: K, g: Tensor, owned: Set<Tensor>): void {
  const prev = map.get(key);
  if (prev === undefined) {
    map.set(key, g);
    return;
  }
  if (owned.has(prev) && addInto(prev, g)) return;
  const total = add(prev, g);
  if (total !== prev && total !== g && total.data !== prev.data && total.data !== g.data) owned.add(total);
  map.set(key, total);
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
    return leaves;
  }
  const order = reverseTopological(rootNode);
  const needs = needsGradOf(order, targets);
  const pending = new Map<Node, Tensor>([[rootNode, seed]]);
  const owned = new Set<Tensor>();
  noGrad(() => {
    for (const node of order) {
      const g = pending.get(node);
      pending.delete(node);
      if (g !== undefined) owned.delete(g); // handed to a rule, which may pass it on to several inputs
      const needsGrad = needs.get(node)!;
      if (g !== undefined && needsGrad.includes(true)) {
        const inputs = node.inputs;
        const grads = node.backward(g, needsGrad);
        if (grads.length !== inputs.length) {
          throw new Error(`backward: gradient rule of ${node.describe()} returned ${grads.length} gradients for ${inputs.length} inputs`);
        }
        for (let i = 0; i < inputs.length; i++) {
          const gi = grads[i];
          if (!needsGrad[i] || gi === null || gi === undefined) continue;
          const x = inputs[i]!;
          let fitted = sumToShape(gi, x.shape, `backward: gradient rule of ${node.describe()}, input ${i}`);
          if (fitted.dtype !== x.dtype) fitted = cast(fitted, x.dtype);
          const child = nodeOf(x);
          if (child !== null) accumulate(pending, child, fitted, owned);
          else accumulate(leaves, x, fitted, owned);
        }
      }
      if (!retainGraph) node.free();
    }
  });
  return leaves;
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
