/**
 * exportOnnx: trace the module twice (the example inputs, then every dynamic axis grown),
 * check that both runs took the same ops, and lower the first run to an ONNX opset-17 graph
 * whose reshapes, expands and slices are written in terms of the inputs' dynamic dims.
 */
import { checkOptions, describeValue, formatShape, Tensor, type OptionKeys } from "@heed/tensor-core";
import type { Module } from "@heed/nn";
import { classify, dimParam, growSizes, type Sym } from "./dims.js";
import { Graph, type AttentionExport } from "./graph.js";
import { LOWER_FUSED } from "./lower-fused.js";
import { LOWER, type Lowering } from "./lower-ops.js";
import { elemOf, onnx, valueInfo, type DimInfo } from "./proto.js";
import { tile } from "./tile.js";
import { trace, type Trace, type TraceNode, type Val } from "./trace.js";
import { constantOf } from "./constants.js";

/** The opset of an exported graph (17), except that one using ONNX's `Attention` (`attention: "onnx-attention"`) imports 23: `OnnxExport.opset` says which. */
export const OPSET = 17;

export type ForwardResult = Tensor | Tensor[] | Record<string, Tensor>;

export interface ExportOptions {
  /**
   * Per input, the name of each axis that is dynamic (null = fixed), at most one entry per axis;
   * axes past the end of a shorter list are fixed, and so are inputs not named. Default: axis 0
   * is "batch" and axis 1 (if any) is "seq"; give e.g. `{ memory: ["batch", "src", null] }`.
   */
  dynamicAxes?: Record<string, readonly (string | null)[]>;
  /** Output names; default: the keys of a returned record, else "output" / "output_i". */
  outputNames?: readonly string[];
  /** How to run the module on the named inputs; default `module.forward(...Object.values(inputs))`. */
  forward?: (inputs: Record<string, Tensor>) => ForwardResult;
  /** The graph's name (default: the module's class name). */
  graphName?: string;
  /**
   * How multi-head attention (the kernel with a head layout) is written: "composed" (default:
   * MatMul/Softmax/Where, opset 17, runs everywhere), "ort-mha" (ONNX Runtime's contrib
   * `com.microsoft.MultiHeadAttention`, ONNX Runtime only) or "onnx-attention" (ONNX's own
   * `Attention`; the model then imports opset 23). Single-head functional attention stays composed.
   */
  attention?: AttentionExport;
}

const EXPORT_KEYS: OptionKeys<ExportOptions> = { dynamicAxes: true, outputNames: true, forward: true, graphName: true, attention: true };

export interface OnnxExport {
  /** The serialised ONNX ModelProto. */
  readonly bytes: Uint8Array;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The default ONNX opset imported: 17, or 23 when the graph holds ONNX's `Attention`. */
  readonly opset: number;
  /** Each input's and output's dims: a number, or the name of a dynamic axis (expression). */
  readonly shapes: Record<string, readonly DimInfo[]>;
}

function symbolsOf(inputs: Record<string, Tensor>, dynamicAxes: Record<string, readonly (string | null)[]>): { names: string[]; sizes: number[]; sources: { input: string; axis: number }[] } {
  const found = new Map<string, { size: number; input: string; axis: number }>();
  if (typeof dynamicAxes !== "object" || dynamicAxes === null || Array.isArray(dynamicAxes)) {
    throw new Error(`exportOnnx: expected dynamicAxes as an object of per-input axis names like { x: ["batch", null] }, got ${describeValue(dynamicAxes)}`);
  }
  for (const [input, axes] of Object.entries(dynamicAxes)) {
    const t = inputs[input];
    if (t === undefined) throw new Error(`exportOnnx: dynamicAxes names input '${input}', but the inputs are ${Object.keys(inputs).join(", ")}`);
    const given: unknown = axes;
    if (!Array.isArray(given) || given.length > t.rank || !given.every((a) => a === null || (typeof a === "string" && a !== ""))) {
      throw new Error(`exportOnnx: dynamicAxes.${input} must be an array of at most ${t.rank} axis names or null (one per axis of ${formatShape(t.shape)}, like ${JSON.stringify(t.shape.map((_, i) => (i === 0 ? "batch" : null)))}), got ${describeValue(given)}`);
    }
    axes.forEach((name, axis) => {
      if (name === null) return;
      const size = t.shape[axis];
      if (size === undefined) throw new Error(`exportOnnx: dynamic axis '${name}' is axis ${axis} of input '${input}', which has shape ${formatShape(t.shape)}`);
      if (size < 2) throw new Error(`exportOnnx: dynamic axis '${name}' of input '${input}' ${formatShape(t.shape)} has size ${size}; give at least 2 so that it is not taken for a broadcast`);
      const prev = found.get(name);
      if (prev !== undefined && prev.size !== size) {
        throw new Error(`exportOnnx: dynamic axis '${name}' is ${prev.size} in input '${prev.input}' but ${size} in input '${input}'`);
      }
      if (prev === undefined) found.set(name, { size, input, axis });
    });
  }
  const names = [...found.keys()];
  return { names, sizes: names.map((n) => found.get(n)!.size), sources: names.map((n) => found.get(n)!) };
}

function defaultAxes(inputs: Record<string, Tensor>): Record<string, (string | null)[]> {
  return Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape.map((_, i) => (i === 0 ? "batch" : i === 1 ? "seq" : null))]));
}

function describe(n: TraceNode): string {
  return `'${n.op}' (inputs: ${n.inputs.map((v) => formatShape(v.shape)).join(", ")}; output: ${formatShape(n.output.shape)}) in module '${n.path || "<root>"}'`;
}

function align(a: Trace, b: Trace, syms: readonly Sym[]): void {
  const sizes = syms.map((s) => `${s.name}=${s.n1}/${s.n2}`).join(", ");
  for (let i = 0; i < Math.max(a.nodes.length, b.nodes.length); i++) {
    const [x, y] = [a.nodes[i], b.nodes[i]];
    if (x?.op !== y?.op || x?.inputs.map((v) => v.id).join() !== y?.inputs.map((v) => v.id).join()) {
      throw new Error(
        `exportOnnx: the forward pass ran different ops when the dynamic axes changed (${sizes}): op ${i} is ${x ? describe(x) : "missing"} vs ${y ? describe(y) : "missing"}; its control flow depends on a dynamic size`,
      );
    }
  }
}

/**
 * Export `module` to ONNX by tracing one forward pass on `exampleInputs` (named; the names
 * become the graph's input names). Parameters and buffers become initializers named by their
 * state-dict keys; batch and sequence axes stay dynamic.
 *
 * @example
 * const model = new Linear(4, 2);
 * const { bytes } = exportOnnx(model, { x: randn([2, 3, 4]) });
 */
export function exportOnnx(module: Module, exampleInputs: Record<string, Tensor>, exportOptions?: ExportOptions): OnnxExport {
  const options = checkOptions("exportOnnx", exportOptions, EXPORT_KEYS);
  const m = module as unknown as { namedParameters?: unknown; modules?: unknown } | null;
  if (typeof m !== "object" || m === null || typeof m.namedParameters !== "function" || typeof m.modules !== "function") {
    throw new Error(`exportOnnx: expected a Module (from @heed/nn or @heed/attention) as the first argument, got ${describeValue(module)}`);
  }
  if (typeof exampleInputs !== "object" || exampleInputs === null || exampleInputs instanceof Tensor || Array.isArray(exampleInputs) || Object.keys(exampleInputs).length === 0) {
    throw new Error(`exportOnnx: expected the example inputs as an object of named tensors like { x }, got ${describeValue(exampleInputs)}`);
  }
  for (const [k, t] of Object.entries(exampleInputs)) {
    if (!(t instanceof Tensor)) throw new Error(`exportOnnx: example input '${k}' must be a Tensor, got ${describeValue(t)}`);
  }
  if (options.forward !== undefined && typeof options.forward !== "function") {
    throw new Error(`exportOnnx: forward must be a function of the named inputs, like ({ x }) => model.forward(x!), got ${describeValue(options.forward)}`);
  }
  const attention = options.attention ?? "composed";
  if (!["composed", "ort-mha", "onnx-attention"].includes(attention)) throw new Error(`exportOnnx: attention must be "composed", "ort-mha" or "onnx-attention", got ${describeValue(attention)}`);
  const dynamicAxes = options.dynamicAxes ?? defaultAxes(exampleInputs);
  const { names, sizes, sources } = symbolsOf(exampleInputs, dynamicAxes);
  const syms = growSizes(names, sizes);
  const grown = Object.fromEntries(
    Object.entries(exampleInputs).map(([k, t]) => {
      const axes = dynamicAxes[k] ?? [];
      return [k, tile(t, t.shape.map((d, i) => syms.find((s) => s.name === axes[i])?.n2 ?? d))];
    }),
  );
  const call = options.forward ?? ((ins: Record<string, Tensor>) => (module as unknown as { forward(...a: Tensor[]): ForwardResult }).forward(...Object.values(ins)));
  const first = trace(module, exampleInputs, () => call(exampleInputs));
  let second: ReturnType<typeof trace>;
  try {
    second = trace(module, grown, () => call(grown));
  } catch (e) {
    const sizes = syms.map((sym) => `${sym.name} ${sym.n1} → ${sym.n2}`).join(", ");
    throw new Error(
      `exportOnnx: the forward pass fails when the dynamic axes grow (${sizes}): ${(e as Error).message} — give dynamicAxes with null for the axes that must stay fixed (the default makes axis 0 'batch' and axis 1 'seq' of every input)`,
      { cause: e },
    );
  }
  align(first.trace, second.trace, syms);
  const result = first.outputs;
  const outputNames = options.outputNames ?? (result instanceof Tensor ? ["output"] : Array.isArray(result) ? result.map((_, i) => `output_${i}`) : Object.keys(result));
  if (outputNames.length !== first.trace.outputs.length) {
    throw new Error(`exportOnnx: outputNames has ${outputNames.length} names for ${first.trace.outputs.length} outputs`);
  }
  return lower(first.trace, second.trace, syms, sources, outputNames, options.graphName ?? module.typeName, attention);
}

function lower(t1: Trace, t2: Trace, syms: readonly Sym[], sources: { input: string; axis: number }[], outputNames: readonly string[], graphName: string, attention: AttentionExport): OnnxExport {
  const g = new Graph(syms, sources, attention);
  const names = new Map<number, string>();
  const bound: Val[] = [];
  const shapes: Record<string, DimInfo[]> = {};
  // a dim_param per dim: the monomial ("batch*seq"), or monomial + k (e.g. "past+1"), or a fresh name
  const infoDims = (v: Val, name: string): DimInfo[] => v.shape.map((d, i) => {
    const d2 = t2.vals[v.id]!.shape[i]!;
    for (let k = 0; k <= 8; k++) {
      const c = classify(d - k, d2 - k, syms);
      if (c !== null && (k === 0 || c.exps.some((e) => e > 0))) return k === 0 ? dimParam(c, syms) : `${dimParam(c, syms)}+${k}`;
    }
    return `${name}_dim${i}`;
  });
  const bind = (v: Val, name: string): string => {
    names.set(v.id, name);
    bound.push(v);
    return name;
  };
  const maybeDim = (v1: number, v2: number, search = true): string | null => {
    const c = classify(v1, v2, syms);
    if (c !== null) return g.dim(c);
    if (!search) return null;
    // a dim that is no monomial (e.g. past + 1) is read from a value that has it in both traces
    for (const v of bound) {
      const axis = v.shape.findIndex((d, i) => d === v1 && t2.vals[v.id]!.shape[i] === v2);
      if (axis >= 0) return g.shapeDim(names.get(v.id)!, axis);
    }
    return null;
  };
  const inputs = t1.inputs.map((v) => {
    shapes[v.name!] = infoDims(v, v.name!);
    return valueInfo(g.reserve(bind(v, v.name!)), elemOf(v.dtype), shapes[v.name!]!);
  });
  const nameOf = (v: Val, user: TraceNode | null): string => {
    const known = names.get(v.id);
    if (known !== undefined) return known;
    if (v.kind === "param") return bind(v, g.initializer(g.reserve(v.name!), v.dtype, v.shape, v.data!));
    if (v.kind === "const") return bind(v, constantOf(g, v, t2.vals[v.id]!, maybeDim, user));
    throw new Error(`exportOnnx: value ${v.id} ${formatShape(v.shape)} is used before it is computed`);
  };
  t1.nodes.forEach((node, i) => {
    const other = t2.nodes[i]!;
    const dim = (v1: number, v2: number): string => {
      const d = maybeDim(v1, v2);
      if (d === null) throw new Error(`exportOnnx: cannot express the size ${v1} (${v2} with grown axes) of op ${describe(node)} in terms of the dynamic axes ${syms.map((s) => s.name).join(", ")}`);
      return d;
    };
    const l: Lowering = { g, node, other, inputs: node.inputs.map((v) => nameOf(v, node)), dim, maybeDim };
    const fused = LOWER_FUSED[node.op];
    const rule = fused ?? (node.op in LOWER ? LOWER[node.op as keyof typeof LOWER] : undefined);
    if (rule === null || rule === undefined) throw new Error(`exportOnnx: cannot export op ${describe(node)}: it has no ONNX mapping`);
    bind(node.output, (rule as (l: Lowering, a: unknown, b: unknown) => string)(l, node.attrs, other.attrs));
  });
  const outputs = t1.outputs.map((v, i) => {
    const name = outputNames[i]!;
    g.add("Identity", [nameOf(v, null)], {}, [name]);
    shapes[name] = infoDims(v, name);
    return valueInfo(name, elemOf(v.dtype), shapes[name]);
  });
  g.prune(outputNames);
  const graph = onnx.GraphProto.create({ name: graphName, node: g.nodes, initializer: g.initializers, input: inputs, output: outputs, valueInfo: intermediates(g, bound, names, infoDims) });
  // opset 23 (for ONNX's Attention) comes with IR version 11; opset 17 with IR 8
  const opset = g.nodes.some((n) => n.opType === "Attention" && !n.domain) ? 23 : OPSET;
  const opsetImport = [{ domain: "", version: opset }, ...[...g.domains].map((domain) => ({ domain, version: 1 }))];
  const model = onnx.ModelProto.create({ irVersion: opset === 23 ? 11 : 8, producerName: "heed", producerVersion: "0.0.0", opsetImport, graph });
  return { bytes: onnx.ModelProto.encode(model).finish(), inputNames: t1.inputs.map((v) => v.name!), outputNames, opset, shapes };
}

/**
 * Graph-level shape info: type and dims (symbolic where they follow a dynamic axis) of every
 * intermediate value that a traced op produced and that is still in the graph. A name two
 * traced values share (an op lowered to nothing) is left out unless their shapes agree.
 */
function intermediates(g: Graph, bound: readonly Val[], names: ReadonlyMap<number, string>, dims: (v: Val, name: string) => DimInfo[]): ReturnType<typeof valueInfo>[] {
  const produced = new Set(g.nodes.flatMap((n) => n.output ?? []));
  const info = new Map<string, ReturnType<typeof valueInfo> | null>();
  for (const v of bound) {
    const name = names.get(v.id)!;
    if (v.kind === "input" || v.kind === "param" || !produced.has(name)) continue;
    const vi = valueInfo(name, elemOf(v.dtype), dims(v, name));
    const prev = info.get(name);
    info.set(name, prev === undefined || JSON.stringify(prev) === JSON.stringify(vi) ? vi : null);
  }
  return [...info.values()].filter((vi) => vi !== null);
}
