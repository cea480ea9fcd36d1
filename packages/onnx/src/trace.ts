/**
 * Tracing one forward pass. A backend named `onnx-trace` (registered through tensor-core's
 * public `registerBackend`, so tensor-core is not touched) runs every kernel with the
 * reference implementation and records it: primitive ops by the identity of their input
 * tensors, fused kernels (linear, linear + ReLU + dropout, layer norm, residual + dropout + layer norm, embedding + positions, attention, dropout) by the identity of the
 * typed arrays they receive. Tensors nobody produced are the graph's inputs, the module's
 * parameters and buffers (found by their storage), or constants made inside forward.
 */
import {
  broadcastShapes, describeValue, formatShape, getBackend, OP_NAMES, referenceFusedKernel, referenceFusedKernels, referenceKernel, registerBackend, setBackend,
  type AttentionProblem, type Backend, type DataArray, type DType, type FloatArray, type FusedKernelName, type FusedKernels, type KernelTable, Tensor,
} from "@heed/tensor-core";
import type { Module } from "@heed/nn";

/** A value of the traced graph. */
export interface Val {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly kind: "input" | "param" | "const" | "node";
  /** input name, or the parameter's / buffer's dotted name */
  readonly name?: string;
  /** a constant's or parameter's data */
  readonly data?: DataArray;
}

export interface TraceNode {
  /** a tensor-core op name, `reshape` for a storage alias, or `fused.linear` / `fused.layerNorm` / `fused.attention` / `fused.dropout` */
  readonly op: string;
  readonly inputs: readonly Val[];
  readonly attrs: Record<string, unknown>;
  readonly output: Val;
  /** dotted module path of the innermost module whose forward was running ("" for the root) */
  readonly path: string;
}

export interface Trace {
  readonly vals: readonly Val[];
  readonly nodes: readonly TraceNode[];
  readonly inputs: readonly Val[];
  readonly outputs: readonly Val[];
}

const BACKEND = "onnx-trace";

class Recorder {
  readonly vals: Val[] = [];
  readonly nodes: TraceNode[] = [];
  readonly #byTensor = new WeakMap<Tensor, Val>();
  readonly #byData = new Map<object, Val>();
  readonly #named = new Map<object, [string, Tensor]>();
  readonly paths: string[] = [];

  constructor(module: Module) {
    for (const [name, t] of [...module.namedParameters(), ...module.namedBuffers()]) if (!this.#named.has(t.data)) this.#named.set(t.data, [name, t]);
  }

  #val(v: Omit<Val, "id">): Val {
    const val = { ...v, id: this.vals.length };
    this.vals.push(val);
    return val;
  }

  input(name: string, t: Tensor): Val {
    const val = this.#val({ shape: t.shape, dtype: t.dtype, kind: "input", name });
    this.#byTensor.set(t, val);
    this.#byData.set(t.data, val);
    return val;
  }

  node(op: string, inputs: readonly Val[], attrs: Record<string, unknown>, shape: readonly number[], dtype: DType, data: object, t?: Tensor): Val {
    const output = this.#val({ shape, dtype, kind: "node" });
    this.nodes.push({ op, inputs, attrs, output, path: this.paths[this.paths.length - 1] ?? "" });
    if (t !== undefined) this.#byTensor.set(t, output);
    this.#byData.set(data, output);
    return output;
  }

  /** The value of a tensor: traced, an alias of traced storage (reshaped), a parameter/buffer, or a constant. */
  resolve(t: Tensor): Val {
    const known = this.#byTensor.get(t) ?? this.#byData.get(t.data) ?? this.#namedVal(t.data);
    if (known !== undefined) {
      if (known.shape.join() === t.shape.join() && known.dtype === t.dtype) return known;
      if (known.shape.reduce((a, b) => a * b, 1) === t.size && known.dtype === t.dtype) {
        return this.node("reshape", [known], { shape: t.shape }, t.shape, t.dtype, t.data, t);
      }
    }
    const val = this.#val({ shape: t.shape, dtype: t.dtype, kind: "const", data: t.data.slice() });
    this.#byTensor.set(t, val);
    return val;
  }

  /** The value holding a fused kernel's typed-array argument. */
  resolveData(who: string, a: object): Val {
    const v = this.#byData.get(a) ?? this.#namedVal(a);
    if (v === undefined) throw new Error(`exportOnnx: the ${who} kernel got an array that no traced op, input or parameter produced`);
    return v;
  }

  #namedVal(a: object): Val | undefined {
    const named = this.#named.get(a);
    if (named === undefined) return undefined;
    const [name, t] = named;
    const val = this.#val({ shape: t.shape, dtype: t.dtype, kind: "param", name, data: t.data });
    this.#byData.set(a, val);
    return val;
  }
}

let active: Recorder | null = null;

function recorder(): Recorder {
  if (active === null) throw new Error("exportOnnx: the onnx-trace backend ran outside a trace");
  return active;
}

function dtypeOf(a: FloatArray): DType {
  return a instanceof Float64Array ? "float64" : "float32";
}

/**
 * The value holding q, k or v of an attention call. With a strided layout whose rows are wider
 * than the heads (packed projections: q | k | v side by side in one [B, N, 3·H·E] array, read in
 * place), the heads' columns are recorded as a `slice` of that value.
 */
function headsOf(r: Recorder, a: FloatArray, offsets: Int32Array, row: number | undefined, width: number, batch: number): Val {
  const val = r.resolveData("attention", a);
  if (row === undefined || val.shape.length !== 3) return val;
  const [B, N, W] = val.shape as [number, number, number];
  const cols = (batch / B) * width;
  const start = offsets[0]! % row;
  if (start === 0 && cols === W) return val;
  return r.node("slice", [val], { begin: [0, 0, start], end: [B, N, start + cols] }, [B, N, cols], val.dtype, {});
}

/** Leading (batch) dims of the broadcast attention problem, for kernels called without a layout. */
function batchShapeOf(p: AttentionProblem, ins: readonly Val[]): number[] {
  const lead = ins.map((v) => v.shape.slice(0, -2));
  const shape = lead.reduce((a, b) => broadcastShapes("exportOnnx", a, b));
  if (shape.reduce((a, b) => a * b, 1) !== p.batch) {
    throw new Error(`exportOnnx: attention batch ${p.batch} does not match the broadcast of q, k, v, mask batch dims ${formatShape(shape)}`);
  }
  return shape;
}

const fused: Partial<FusedKernels> = {
  linearForward: (args) => {
    const r = recorder();
    const ins = [r.resolveData("linear", args.x), r.resolveData("linear", args.weight), ...(args.bias === null ? [] : [r.resolveData("linear", args.bias)])];
    const out = referenceFusedKernel("linearForward")(args);
    r.node("fused.linear", ins, { inFeatures: args.inFeatures }, [args.rows, args.outFeatures], dtypeOf(args.x), out);
    return out;
  },
  linearReluDropout: (args) => {
    const r = recorder();
    const ins = [r.resolveData("linearReluDropout", args.x), r.resolveData("linearReluDropout", args.weight), ...(args.bias === null ? [] : [r.resolveData("linearReluDropout", args.bias)])];
    const out = referenceFusedKernel("linearReluDropout")(args);
    r.node("fused.linearReluDropout", ins, { inFeatures: args.inFeatures, p: args.p }, [args.rows, args.outFeatures], dtypeOf(args.x), out);
    return out;
  },
  layerNormForward: (args) => {
    const r = recorder();
    const x = r.resolveData("layerNorm", args.x);
    const w = args.weight === null ? null : r.resolveData("layerNorm", args.weight);
    const b = args.bias === null ? null : r.resolveData("layerNorm", args.bias);
    const res = referenceFusedKernel("layerNormForward")(args);
    const ins = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
    r.node("fused.layerNorm", ins, { D: args.D, eps: args.eps, hasWeight: w !== null, hasBias: b !== null }, x.shape, x.dtype, res.out);
    return res;
  },
  residualLayerNormForward: (args) => {
    const r = recorder();
    const op = "residualLayerNorm";
    const x = r.resolveData(op, args.x);
    const s = r.resolveData(op, args.sublayer);
    const w = args.weight === null ? null : r.resolveData(op, args.weight);
    const b = args.bias === null ? null : r.resolveData(op, args.bias);
    const res = referenceFusedKernel("residualLayerNormForward")(args);
    const ins = [x, s, ...(w ? [w] : []), ...(b ? [b] : [])];
    r.node("fused.residualLayerNorm", ins, { D: args.D, eps: args.eps, p: args.p, hasWeight: w !== null, hasBias: b !== null }, x.shape, x.dtype, res.out);
    return res;
  },
  embeddingPositionsForward: (args) => {
    const r = recorder();
    const op = "embeddingPositions";
    const w = r.resolveData(op, args.weight);
    const ids = r.resolveData(op, args.ids);
    const ins = [w, ids, ...(args.positions === null ? [] : [r.resolveData(op, args.positions)])];
    const out = referenceFusedKernel("embeddingPositionsForward")(args);
    r.node("fused.embeddingPositions", ins, { scale: args.scale, offset: args.offset, L: args.L, p: args.p }, [...ids.shape, args.E], w.dtype, out);
    return out;
  },
  attentionForward: (p) => {
    const r = recorder();
    const ins = [headsOf(r, p.q, p.qOffsets, p.layout?.qRow, p.E, p.batch), headsOf(r, p.k, p.kOffsets, p.layout?.kRow, p.E, p.batch), headsOf(r, p.v, p.vOffsets, p.layout?.vRow, p.Ev, p.batch)];
    if (p.mask !== null) ins.push(r.resolveData("attention", p.mask.data));
    const res = referenceFusedKernel("attentionForward")(p);
    const heads = p.layout === undefined ? null : p.batch / ins[0]!.shape[0]!;
    const shape = heads === null ? [...batchShapeOf(p, ins), p.L, p.Ev] : [ins[0]!.shape[0]!, p.L, heads * p.Ev];
    const attrs = { scale: p.scale, causal: p.causal, heads, E: p.E, Ev: p.Ev, maskKind: p.mask?.kind ?? null, dropout: p.dropout?.p ?? 0 };
    r.node("fused.attention", ins, attrs, shape, ins[0]!.dtype, res.out);
    return res;
  },
  attentionBackward: () => {
    throw new Error("exportOnnx: a backward pass ran during the trace; exportOnnx traces inference only");
  },
  dropout: (args) => {
    const r = recorder();
    const x = r.resolveData("dropout", args.x);
    const out = referenceFusedKernel("dropout")(args);
    r.node("fused.dropout", [x], { p: args.p }, x.shape, x.dtype, out);
    return out;
  },
};

// every other fused kernel (backward passes, the optimizer step) has no place in an inference trace:
// fail naming it rather than let the reference run and leave an untraced array behind
for (const name of Object.keys(referenceFusedKernels) as FusedKernelName[]) {
  if (fused[name] === undefined) {
    (fused as Record<string, unknown>)[name] = () => {
      throw new Error(`exportOnnx: the fused kernel '${name}' ran during the trace; exportOnnx traces inference only (module.eval(), no backward or optimizer step)`);
    };
  }
}

const kernels = Object.fromEntries(
  OP_NAMES.map((op) => [
    op,
    (inputs: readonly Tensor[], attrs: never) => {
      const r = recorder();
      const ins = inputs.map((t) => r.resolve(t));
      const out = referenceKernel(op)(inputs, attrs);
      r.node(op, ins, attrs, out.shape, out.dtype, out.data, out);
      return out;
    },
  ]),
) as unknown as KernelTable;

const traceBackend: Backend = { name: BACKEND, kernels, fused };

/** The tensors a forward pass returned: one Tensor, a non-empty array or a non-empty record of them (anything else throws). */
function outputTensors(result: unknown): Tensor[] {
  if (result instanceof Tensor) return [result];
  const outs: unknown[] = Array.isArray(result) ? result : typeof result === "object" && result !== null ? Object.values(result) : [];
  if (outs.length === 0 || !outs.every((t) => t instanceof Tensor)) {
    throw new Error(`exportOnnx: the forward pass must return a Tensor, an array of tensors or a record of tensors, got ${describeValue(result)}`);
  }
  return outs;
}

/**
 * Run `call` once on the trace backend with every module's forward labelled by its path.
 * The module is put in eval mode for the trace (and restored), like torch.onnx.export.
 */
export function trace(module: Module, inputs: Record<string, Tensor>, call: () => Tensor | Tensor[] | Record<string, Tensor>): { trace: Trace; outputs: Record<string, Tensor> | Tensor[] | Tensor } {
  const r = new Recorder(module);
  const inputVals = Object.entries(inputs).map(([name, t]) => r.input(name, t));
  const previous = getBackend();
  const modes = module.modules().map((m) => [m, m.training] as const);
  const withForward = module.namedModules().filter(([, m]) => typeof (m as { forward?: unknown }).forward === "function");
  const patched = withForward.map(([path, m]) => {
    const forward = (m as unknown as { forward: (...a: unknown[]) => unknown }).forward.bind(m);
    Object.defineProperty(m, "forward", {
      configurable: true, writable: true,
      value: (...args: unknown[]) => {
        r.paths.push(path);
        try {
          return forward(...args);
        } finally {
          r.paths.pop();
        }
      },
    });
    return m;
  });
  registerBackend(traceBackend);
  active = r;
  module.eval();
  let result: Tensor | Tensor[] | Record<string, Tensor>;
  try {
    setBackend(BACKEND);
    result = call();
  } finally {
    active = null;
    setBackend(previous);
    for (const m of patched) delete (m as { forward?: unknown }).forward;
    for (const [m, training] of modes) m.training = training;
  }
  active = r;
  try {
    const outs = outputTensors(result);
    const outputs = outs.map((t) => r.resolve(t));
    return { trace: { vals: r.vals, nodes: r.nodes, inputs: inputVals, outputs }, outputs: result };
  } finally {
    active = null;
  }
}
