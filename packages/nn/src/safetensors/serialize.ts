import { describeValue, formatShape, Tensor } from "@heed/tensor-core";
import { compareCodePoints, ELEMENT_BYTES, LITTLE_ENDIAN, RANK, WRITE_DTYPE } from "./dtypes.js";

/** Tensors by name: a Map (kept as is) or a plain object. */
export type NamedTensors = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

function isMap(tensors: NamedTensors): tensors is ReadonlyMap<string, Tensor> {
  return tensors instanceof Map;
}

/**
 * The (name, tensor) pairs of a Map or a plain object, in insertion order. With `fn`, anything
 * but a Map or plain object of Tensors throws an error naming `fn` and the offending entry.
 */
export function entriesOf(tensors: NamedTensors, fn?: string): [string, Tensor][] {
  if (fn !== undefined && (typeof tensors !== "object" || tensors === null || Array.isArray(tensors))) {
    throw new Error(`${fn}: expected a Map or an object of named tensors, got ${describeValue(tensors)}`);
  }
  const entries = isMap(tensors) ? [...tensors.entries()] : Object.entries(tensors);
  if (fn !== undefined) {
    for (const [name, t] of entries) {
      if (!((t as unknown) instanceof Tensor)) throw new Error(`${fn}: '${name}' must be a Tensor, got ${describeValue(t)}`);
    }
  }
  return entries;
}

/**
 * Encode tensors in the safetensors format (huggingface/safetensors): an 8-byte little-endian
 * header length N, an N-byte JSON header `{"__metadata__": {...}, name: {dtype, shape,
 * data_offsets}}` padded with spaces to a multiple of 8 bytes, then the raw little-endian data.
 * Like the reference writer, tensors are laid out by descending dtype (F64, F32, I32, BOOL) and
 * then by name, so a file written here is byte-identical to `safetensors.torch.save_file`'s
 * for the same tensors and metadata (metadata keys are written in insertion order).
 *
 * @example
 * const bytes = serializeSafetensors(model.stateDict(), { format: "pt" });
 * const { tensors } = parseSafetensors(bytes);
 */
export function serializeSafetensors(tensors: NamedTensors, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const entries = entriesOf(tensors, "serializeSafetensors");
  for (const [name, t] of entries) {
    if (name === "__metadata__") throw new Error(`serializeSafetensors: '__metadata__' is reserved and cannot name a tensor (shape ${formatShape(t.shape)})`);
  }
  entries.sort(([na, a], [nb, b]) => RANK[WRITE_DTYPE[b.dtype]]! - RANK[WRITE_DTYPE[a.dtype]]! || compareCodePoints(na, nb));
  const parts: string[] = [];
  if (metadata !== undefined) {
    const fields = Object.entries(metadata).map(([k, v]) => {
      if (typeof v !== "string") throw new Error(`serializeSafetensors: metadata value for '${k}' must be a string, got ${typeof v}`);
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    parts.push(`"__metadata__":{${fields.join(",")}}`);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    const dtype = WRITE_DTYPE[t.dtype];
    const end = offset + t.size * ELEMENT_BYTES[dtype]!;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${t.shape.join(",")}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 4294967296, true);
  view.setUint32(4, Math.floor(headerLength / 4294967296), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const [, t] of entries) {
    writeLittleEndian(out, view, pos, t);
    pos += t.data.byteLength;
  }
  return out;
}

function writeLittleEndian(out: Uint8Array, view: DataView, pos: number, t: Tensor): void {
  const { data } = t;
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    return;
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (t.dtype === "float32") view.setFloat32(pos + 4 * i, v, true);
    else if (t.dtype === "float64") view.setFloat64(pos + 8 * i, v, true);
    else view.setInt32(pos + 4 * i, v, true);
  }
}
