/**
 * The ONNX graph under construction: nodes, initializers, unique names, int64 constants,
 * and shape expressions for dynamic dims (Shape slices of the inputs multiplied together),
 * so that no reshape, expand or slice bakes the example's batch or sequence length.
 */
import type { DataArray, DType } from "@heed/tensor-core";
import type { Dim, Sym } from "./dims.js";

/** How attention is exported: composed standard ops, ORT's com.microsoft.MultiHeadAttention, or ONNX's opset-23 Attention. */
export type AttentionExport = "composed" | "ort-mha" | "onnx-attention";
import { attribute, onnx, tensorProto, type AttrValue, type OnnxTypes } from "./proto.js";

export class Graph {
  readonly nodes: OnnxTypes.NodeProto[] = [];
  readonly initializers: OnnxTypes.TensorProto[] = [];
  readonly #used = new Set<string>();
  readonly #cache = new Map<string, string>();

  /** Operator domains the graph uses besides the default one (e.g. `com.microsoft`). */
  readonly domains = new Set<string>();

  /**
   * `symbols[i]` is read from dim `axis` of graph input `input`; `attention` is how the fused
   * attention kernel is written (see ExportOptions.attention).
   */
  constructor(readonly syms: readonly Sym[], readonly symbolSources: readonly { input: string; axis: number }[], readonly attention: AttentionExport = "composed") {}

  /** A name not used yet, based on `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.#used.has(name); i++) name = `${base}_${i}`;
    this.#used.add(name);
    return name;
  }

  /** Reserve an exact name (graph inputs, initializers named after the state dict). */
  reserve(name: string): string {
    if (this.#used.has(name)) throw new Error(`exportOnnx: the name '${name}' is used twice in the graph`);
    this.#used.add(name);
    return name;
  }

  /** Add a node; returns its (first) output name. */
  add(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, outputs: number | readonly string[] = 1, domain = ""): string {
    const outs = typeof outputs === "number" ? Array.from({ length: outputs }, () => this.fresh(`${opType}_out`)) : outputs.map((o) => this.reserve(o));
    if (domain !== "") this.domains.add(domain);
    this.nodes.push(
      onnx.NodeProto.create({
        name: this.fresh(opType), opType, domain, input: [...inputs], output: outs,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return outs[0]!;
  }

  initializer(name: string, dtype: DType | "int64", dims: readonly number[], values: DataArray | readonly number[]): string {
    this.initializers.push(tensorProto(name, dtype, dims, values));
    return name;
  }

  /** A cached constant (int64 by default) of shape `dims`, or of shape [n] for a list, or a scalar. */
  constant(values: number | readonly number[], dtype: DType | "int64" = "int64", dims?: readonly number[]): string {
    const list = typeof values === "number" ? [values] : values;
    const shape = dims ?? (typeof values === "number" ? [] : [list.length]);
    const key = `${dtype}:${shape.join("x")}:${list.join(",")}`;
    let name = this.#cache.get(key);
    if (name === undefined) {
      name = this.initializer(this.fresh(`const_${dtype}`), dtype, shape, list);
      this.#cache.set(key, name);
    }
    return name;
  }

  #memo(key: string, make: () => string): string {
    let name = this.#cache.get(key);
    if (name === undefined) {
      name = make();
      this.#cache.set(key, name);
    }
    return name;
  }

  /** Dim `axis` of value `name`, as an int64 [1] tensor. */
  shapeDim(name: string, axis: number): string {
    return this.#memo(`shape:${name}:${axis}`, () => this.add("Shape", [name], { start: axis, end: axis + 1 }));
  }

  /** A monomial of the dynamic axes as an int64 [1] tensor. */
  dim(d: Dim): string {
    const key = `dim:${d.c}:${d.exps.join(",")}`;
    return this.#memo(key, () => {
      const factors = d.exps.flatMap((e, i) => Array.from({ length: e }, () => this.shapeDim(this.symbolSources[i]!.input, this.symbolSources[i]!.axis)));
      if (factors.length === 0) return this.constant([d.c]);
      if (d.c !== 1) factors.push(this.constant([d.c]));
      return factors.reduce((a, b) => this.add("Mul", [a, b]));
    });
  }

  /** Concatenate int64 [1] (or [n]) pieces into one shape tensor. */
  concatShape(pieces: readonly string[]): string {
    return pieces.length === 1 ? pieces[0]! : this.#memo(`concat:${pieces.join("|")}`, () => this.add("Concat", pieces, { axis: 0 }));
  }

  /** Drop the nodes and initializers that no graph output depends on (e.g. an attention output computed only to fill a cache). */
  prune(outputs: readonly string[]): void {
    const needed = new Set(outputs);
    const kept: OnnxTypes.NodeProto[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (!n.output.some((o) => needed.has(o))) continue;
      kept.push(n);
      for (const x of n.input) needed.add(x);
    }
    this.nodes.splice(0, this.nodes.length, ...kept.reverse());
    const used = this.initializers.filter((t) => needed.has(t.name));
    this.initializers.splice(0, this.initializers.length, ...used);
  }
}
