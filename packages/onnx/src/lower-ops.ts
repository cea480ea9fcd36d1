/**
 * One ONNX lowering per tensor-core primitive (opset 17), as a table over `OpName`: adding an
 * op to tensor-core breaks the build until it has a row here. `null` marks an op that has no
 * export (backward-only ops); tracing one fails with the op's name and module path.
 */
import { promote, type DType, type OpAttrs, type OpName } from "@heed/tensor-core";
import type { Graph } from "./graph.js";
import { ELEM } from "./proto.js";
import type { TraceNode, Val } from "./trace.js";

/** What a lowering sees: the graph, the node of both traces, its input names, and shape expressions. */
export interface Lowering {
  readonly g: Graph;
  readonly node: TraceNode;
  /** the same node in the second trace (grown dynamic axes) */
  readonly other: TraceNode;
  readonly inputs: readonly string[];
  /** An int64 [1] tensor for a number that is `v1` in the first trace and `v2` in the second (throws if none). */
  dim(v1: number, v2: number): string;
  /**
   * Like `dim`, or null when the number is no monomial of the dynamic axes nor (unless
   * `search` is false) a dim of a value computed so far.
   */
  maybeDim(v1: number, v2: number, search?: boolean): string | null;
}

type Lower<P extends OpName> = (l: Lowering, attrs: OpAttrs[P], other: OpAttrs[P]) => string;

/** Cast `name` (a value of dtype `from`) to `to` when they differ. */
export function castTo(g: Graph, name: string, from: DType, to: DType): string {
  return from === to ? name : g.add("Cast", [name], { to: ELEM[to] });
}

const inDtype = (l: Lowering, i: number): DType => l.node.inputs[i]!.dtype;
const outDtype = (l: Lowering): DType => l.node.output.dtype;

/** Elementwise op computed in the output dtype (tensor-core promotes int inputs of float ops). */
const unary = (op: string) => (l: Lowering) => l.g.add(op, [castTo(l.g, l.inputs[0]!, inDtype(l, 0), outDtype(l))]);
const binary = (op: string) => (l: Lowering) => l.g.add(op, l.inputs.map((x, i) => castTo(l.g, x, inDtype(l, i), outDtype(l))));
/** Comparison: both sides in their promoted dtype, bool out. */
const compare = (op: string, negate = false) => (l: Lowering) => {
  const t = promote(inDtype(l, 0), inDtype(l, 1));
  const out = l.g.add(op, l.inputs.map((x, i) => castTo(l.g, x, inDtype(l, i), t)));
  return negate ? l.g.add("Not", [out]) : out;
};
const logical = (op: string) => (l: Lowering) => l.g.add(op, l.inputs.map((x, i) => castTo(l.g, x, inDtype(l, i), "bool")));

/** The shape of the node's output as a (dynamic) int64 tensor, with `keep` dims written as `fill`. */
function outShape(l: Lowering, keep: (i: number) => boolean, fill: number): string {
  const s1 = l.node.output.shape;
  const s2 = l.other.output.shape;
  return l.g.concatShape(s1.map((d, i) => (keep(i) ? l.g.constant([fill]) : l.dim(d, s2[i]!))));
}

const sameDim = (a: Val, b: Val, a2: Val, b2: Val, i: number, j: number): boolean => a.shape[i] === b.shape[j] && a2.shape[i] === b2.shape[j];

function gelu(l: Lowering, approximate: "none" | "tanh"): string {
  const { g } = l;
  const t = outDtype(l);
  const x = castTo(g, l.inputs[0]!, inDtype(l, 0), t);
  const c = (v: number): string => g.constant(v, t);
  const half = g.add("Mul", [x, c(0.5)]);
  let inner: string;
  if (approximate === "none") inner = g.add("Erf", [g.add("Mul", [x, c(Math.SQRT1_2)])]); // Φ(x) = ½(1 + erf(x/√2))
  else {
    const cube = g.add("Mul", [g.add("Mul", [x, x]), x]);
    inner = g.add("Tanh", [g.add("Mul", [g.add("Add", [x, g.add("Mul", [cube, c(0.044715)])]), c(Math.sqrt(2 / Math.PI))])]);
  }
  return g.add("Mul", [half, g.add("Add", [inner, c(1)])]);
}

function matmul(l: Lowering, { transA, transB }: OpAttrs["matmul"]): string {
  const swapLast = (name: string, rank: number): string =>
    l.g.add("Transpose", [name], { perm: [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2] });
  const [a, b] = l.node.inputs as [Val, Val];
  const x = transA ? swapLast(l.inputs[0]!, a.shape.length) : l.inputs[0]!;
  const y = transB ? swapLast(l.inputs[1]!, b.shape.length) : l.inputs[1]!;
  const t = outDtype(l);
  return l.g.add("MatMul", [castTo(l.g, x, a.dtype, t), castTo(l.g, y, b.dtype, t)]);
}

function slice(l: Lowering, a: OpAttrs["slice"], b: OpAttrs["slice"]): string {
  const [x] = l.node.inputs as [Val];
  const [x2] = l.other.inputs as [Val];
  const axes = a.begin.map((_, i) => i).filter((i) => a.begin[i] !== 0 || b.begin[i] !== 0 || a.end[i] !== x.shape[i] || b.end[i] !== x2.shape[i]);
  if (axes.length === 0) return l.g.add("Identity", [l.inputs[0]!]);
  const out = l.node.output.shape;
  const out2 = l.other.output.shape;
  const atEnd = (i: number): boolean => a.end[i] === x.shape[i] && b.end[i] === x2.shape[i];
  const length = (i: number): string => l.dim(out[i]!, out2[i]!);
  // begin = extent − length (e.g. the last row) or end − length when it is no monomial itself
  const start = (i: number): string =>
    l.maybeDim(a.begin[i]!, b.begin[i]!, false) ?? l.g.add("Sub", [atEnd(i) ? l.g.shapeDim(l.inputs[0]!, i) : l.dim(a.end[i]!, b.end[i]!), length(i)]);
  // an end at the input's own extent is written as "to the end", whatever that extent is; else begin + length
  const end = (i: number): string => (atEnd(i) ? l.g.constant([2 ** 53]) : (l.maybeDim(a.end[i]!, b.end[i]!, false) ?? l.g.add("Add", [start(i), length(i)])));
  const starts = l.g.concatShape(axes.map(start));
  const ends = l.g.concatShape(axes.map(end));
  return l.g.add("Slice", [l.inputs[0]!, starts, ends, l.g.constant(axes)]);
}

function pad(l: Lowering, a: OpAttrs["pad"], b: OpAttrs["pad"]): string {
  const pads = [...a.pads.map(([x], i) => l.dim(x, b.pads[i]![0])), ...a.pads.map(([, x], i) => l.dim(x, b.pads[i]![1]))];
  return l.g.add("Pad", [l.inputs[0]!, l.g.concatShape(pads), l.g.constant(a.value, inDtype(l, 0))], { mode: "constant" });
}

function reduce(op: string) {
  return (l: Lowering, { axes, keepDims }: { axes: number[]; keepDims: boolean }) => {
    const x = castTo(l.g, l.inputs[0]!, inDtype(l, 0), outDtype(l));
    if (axes.length === 0) return l.g.add("Identity", [x]);
    if (op === "ReduceSum") return l.g.add(op, [x, l.g.constant(axes)], { keepdims: keepDims ? 1 : 0 });
    return l.g.add(op, [x], { axes, keepdims: keepDims ? 1 : 0 });
  };
}

const arg = (op: string) => (l: Lowering, { axis, keepDims }: { axis: number; keepDims: boolean }) =>
  l.g.add("Cast", [l.g.add(op, [l.inputs[0]!], { axis, keepdims: keepDims ? 1 : 0 })], { to: ELEM[outDtype(l)] });

export const LOWER: { [P in OpName]: Lower<P> | null } = {
  neg: unary("Neg"), abs: unary("Abs"), sign: unary("Sign"), exp: unary("Exp"), log: unary("Log"), sqrt: unary("Sqrt"),
  rsqrt: (l) => l.g.add("Reciprocal", [unary("Sqrt")(l)]),
  sin: unary("Sin"), cos: unary("Cos"), tanh: unary("Tanh"), sigmoid: unary("Sigmoid"), relu: unary("Relu"), erf: unary("Erf"), floor: unary("Floor"),
  gelu: (l, a) => gelu(l, a.approximate),
  clamp: (l, { min, max }) => {
    const t = outDtype(l);
    return l.g.add("Clip", [castTo(l.g, l.inputs[0]!, inDtype(l, 0), t), min === null ? "" : l.g.constant(min, t), max === null ? "" : l.g.constant(max, t)]);
  },
  cast: (l, { dtype }) => l.g.add("Cast", [l.inputs[0]!], { to: ELEM[dtype] }),
  isNaN: (l) => l.g.add("IsNaN", [l.inputs[0]!]),
  isFinite: (l) => l.g.add("Not", [l.g.add("Or", [l.g.add("IsNaN", [l.inputs[0]!]), l.g.add("IsInf", [l.inputs[0]!])])]),
  logicalNot: (l) => l.g.add("Not", [castTo(l.g, l.inputs[0]!, inDtype(l, 0), "bool")]),
  add: binary("Add"), sub: binary("Sub"), mul: binary("Mul"), div: binary("Div"), pow: binary("Pow"), maximum: binary("Max"), minimum: binary("Min"),
  equal: compare("Equal"), notEqual: compare("Equal", true), less: compare("Less"), lessEqual: compare("LessOrEqual"),
  greater: compare("Greater"), greaterEqual: compare("GreaterOrEqual"),
  logicalAnd: logical("And"), logicalOr: logical("Or"), logicalXor: logical("Xor"),
  where: (l) => {
    const t = outDtype(l);
    return l.g.add("Where", [castTo(l.g, l.inputs[0]!, inDtype(l, 0), "bool"), castTo(l.g, l.inputs[1]!, inDtype(l, 1), t), castTo(l.g, l.inputs[2]!, inDtype(l, 2), t)]);
  },
  reluGrad: null,
  sum: reduce("ReduceSum"), max: reduce("ReduceMax"), min: reduce("ReduceMin"),
  argmax: arg("ArgMax"), argmin: arg("ArgMin"),
  reshape: (l) => {
    const [x] = l.node.inputs as [Val];
    const [x2] = l.other.inputs as [Val];
    const out = l.node.output;
    // 0 copies the input's dim in place (ONNX Reshape), so unchanged leading dims stay symbolic
    return l.g.add("Reshape", [l.inputs[0]!, outShape(l, (i) => i < x.shape.length && out.shape[i] !== 0 && sameDim(out, x, l.other.output, x2, i, i), 0)]);
  },
  permute: (l, { perm }) => l.g.add("Transpose", [l.inputs[0]!], { perm }),
  expand: (l) => {
    const [x] = l.node.inputs as [Val];
    const [x2] = l.other.inputs as [Val];
    const out = l.node.output;
    const lead = out.shape.length - x.shape.length;
    // 1 keeps the input's dim (bidirectional broadcast), so unexpanded dims stay symbolic
    return l.g.add("Expand", [l.inputs[0]!, outShape(l, (i) => i >= lead && sameDim(out, x, l.other.output, x2, i, i - lead), 1)]);
  },
  slice,
  concat: (l, { axis }) => l.g.add("Concat", [...l.inputs], { axis }),
  pad,
  gather: (l, { axis }) => l.g.add("Gather", [...l.inputs], { axis }),
  scatterAdd: null,
  matmul: (l, a) => matmul(l, a),
  softmax: (l, { axis }) => l.g.add("Softmax", [l.inputs[0]!], { axis }),
  logSoftmax: (l, { axis }) => l.g.add("LogSoftmax", [l.inputs[0]!], { axis }),
};
