/**
 * Small ONNX graphs built in code (opset 17) with onnx-proto's ModelProto, for the
 * onnxruntime-node peer. Only float32 tensors with static shapes.
 */
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

export interface GraphNode {
  op: "MatMul" | "Softmax" | "Mul" | "Transpose" | "Add";
  inputs: string[];
  outputs: string[];
  /** Integer / integer-list attributes, e.g. `{ axis: -1 }` or `{ perm: [0, 2, 1] }`. */
  attrs?: Record<string, number | number[]>;
}

export interface GraphSpec {
  name: string;
  inputs: Record<string, readonly number[]>;
  outputs: Record<string, readonly number[]>;
  nodes: GraphNode[];
  /** Constant float32 tensors (e.g. a scale factor), by name. */
  constants?: Record<string, { dims: readonly number[]; values: readonly number[] }>;
}

function valueInfo(name: string, dims: readonly number[]) {
  const elemType = onnx.TensorProto.DataType.FLOAT;
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
}

function attribute(name: string, value: number | number[]) {
  const { INT, INTS } = onnx.AttributeProto.AttributeType;
  return Array.isArray(value)
    ? onnx.AttributeProto.create({ name, type: INTS, ints: value })
    : onnx.AttributeProto.create({ name, type: INT, i: value });
}

/** Serialises the graph as an ONNX model (IR version 8, default-domain opset 17). */
export function buildModel(spec: GraphSpec): Uint8Array {
  const graph = onnx.GraphProto.create({
    name: spec.name,
    node: spec.nodes.map((n, i) =>
      onnx.NodeProto.create({
        name: `${n.op.toLowerCase()}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      }),
    ),
    initializer: Object.entries(spec.constants ?? {}).map(([name, c]) =>
      onnx.TensorProto.create({ name, dims: [...c.dims], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [...c.values] }),
    ),
    input: Object.entries(spec.inputs).map(([n, d]) => valueInfo(n, d)),
    output: Object.entries(spec.outputs).map(([n, d]) => valueInfo(n, d)),
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "heed-bench",
    opsetImport: [{ domain: "", version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
