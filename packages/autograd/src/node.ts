import { formatShape, type Tensor } from "@heed/tensor-core";

/** Computes one gradient per input (or null) from the gradient of the output. */
export type Backward = (
  g: Tensor,
  inputs: readonly Tensor[],
  output: Tensor,
  attrs: unknown,
  needsGrad: readonly boolean[],
) => readonly (Tensor | null)[];

/**
 * One recorded op on the tape: what `Tensor.gradFn` points to. It keeps the op's inputs,
 * attributes and output until backward frees it (unless the graph is retained).
 */
export class Node {
  #inputs: readonly Tensor[] | null;
  #output: Tensor | null;
  #attrs: unknown;
  #backward: Backward | null;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShape: readonly number[];

  constructor(
    /** The op name (or `customVjp(name)`), for error messages. */
    readonly name: string,
    inputs: readonly Tensor[],
    attrs: unknown,
    output: Tensor,
    backward: Backward,
    /**
     * Whether the rule may keep, after it returns, the gradient it receives, those it returns
     * or tensors it makes (a user's custom backward might); false lets the engine reuse their
     * storage within the pass (ledger.ts).
     */
    readonly keepsGradients = true,
  ) {
    this.#inputs = inputs;
    this.#attrs = attrs;
    this.#output = output;
    this.#backward = backward;
    this.inputShapes = inputs.map((t) => t.shape);
    this.outputShape = output.shape;
  }

  /** True once backward has released this node's saved tensors. */
  get freed(): boolean {
    return this.#inputs === null;
  }

  /** The recorded inputs (throws on a freed node). */
  get inputs(): readonly Tensor[] {
    if (this.#inputs === null) throw this.freedError();
    return this.#inputs;
  }

  /** Run this node's gradient rule for the output gradient `g`. */
  backward(g: Tensor, needsGrad: readonly boolean[]): readonly (Tensor | null)[] {
    if (this.#inputs === null || this.#output === null || this.#backward === null) throw this.freedError();
    return this.#backward(g, this.#inputs, this.#output, this.#attrs, needsGrad);
  }

  /** Drop the saved tensors so the graph can be garbage collected. */
  free(): void {
    this.#inputs = null;
    this.#output = null;
    this.#attrs = null;
    this.#backward = null;
  }

  /** `'mul' (inputs: [2,3], [3]; output: [2,3])` */
  describe(): string {
    return `'${this.name}' (inputs: ${this.inputShapes.map(formatShape).join(", ")}; output: ${formatShape(this.outputShape)})`;
  }

  freedError(): Error {
    return new Error(
      `backward: trying to backward through op ${this.describe()} a second time, but its graph was freed; pass { retainGraph: true } to the first backward`,
    );
  }
}

/** The node that produced `t`, or null for a leaf. */
export function nodeOf(t: Tensor): Node | null {
  return t.gradFn instanceof Node ? t.gradFn : null;
}
