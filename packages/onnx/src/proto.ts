/**
 * The ONNX protobuf messages, from `onnx-proto` (protobufjs code generated from ONNX's own
 * onnx.proto): tensors, attributes, value infos and the model, built and encoded here only.
 */
import onnxProto from "onnx-proto";
import type { onnx as P } from "onnx-proto";
import type { DataArray, DType } from "@heed/tensor-core";

const { onnx } = onnxProto;
export type { P as OnnxTypes };
export { onnx };

/** ONNX element types of Heed's dtypes (and int64, which ONNX uses for shapes and indices). */
export const ELEM = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 } as const;
export type ElemName = keyof typeof ELEM;

export function elemOf(dtype: DType): number {
  return ELEM[dtype];
}

/** A dimension of a graph input/output: a number, or the name of a dynamic axis. */
export type DimInfo = number | string;

export function valueInfo(name: string, elem: number, dims: readonly DimInfo[] | null): P.ValueInfoProto {
  const shape = dims === null ? undefined : { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) };
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: elem, shape } } });
}

/** A tensor with raw little-endian data (how onnx stores initializers). */
export function tensorProto(name: string, dtype: DType | "int64", dims: readonly number[], values: DataArray | BigInt64Array | readonly number[]): P.TensorProto {
  const array = toTyped(dtype, values);
  const rawData = new Uint8Array(array.buffer, array.byteOffset, array.byteLength).slice();
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: ELEM[dtype], rawData });
}

function toTyped(dtype: DType | "int64", values: DataArray | BigInt64Array | readonly number[]): ArrayBufferView & { buffer: ArrayBufferLike } {
  if (dtype === "int64") return values instanceof BigInt64Array ? values : BigInt64Array.from(values as readonly number[], (v) => BigInt(v));
  const ctor = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[dtype];
  return values instanceof ctor ? values : ctor.from(values as ArrayLike<number>);
}

export type AttrValue = number | readonly number[] | string | { float: number } | { tensor: P.TensorProto };

/** Integers as INT/INTS, `{ float }` as FLOAT, strings as STRING, `{ tensor }` as TENSOR. */
export function attribute(name: string, value: AttrValue): P.AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === "number") return onnx.AttributeProto.create({ name, type: T.INT, i: value });
  if (typeof value === "string") return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: [...(value as number[])] });
  if ("float" in value) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: value.float });
  return onnx.AttributeProto.create({ name, type: T.TENSOR, t: (value as { tensor: P.TensorProto }).tensor });
}
