import type { DataArray } from "@heed/tensor-core";
import { ELEMENT_BYTES, LITTLE_ENDIAN } from "./dtypes.js";

/** Copy `length` bytes at `offset` into a fresh ArrayBuffer (aligned, independent of the file). */
function copyBytes(bytes: Uint8Array, offset: number, length: number): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) as ArrayBuffer;
}

/** IEEE half precision bits to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decode one tensor's little-endian bytes (already bounds-checked) into Heed storage. */
export function decodeTensor(name: string, dtype: string, bytes: Uint8Array, offset: number, length: number): DataArray {
  const n = length / ELEMENT_BYTES[dtype]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  switch (dtype) {
    case "F32":
      if (LITTLE_ENDIAN) return new Float32Array(copyBytes(bytes, offset, length));
      return Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, true));
    case "F64":
      if (LITTLE_ENDIAN) return new Float64Array(copyBytes(bytes, offset, length));
      return Float64Array.from({ length: n }, (_, i) => view.getFloat64(8 * i, true));
    case "I32":
      if (LITTLE_ENDIAN) return new Int32Array(copyBytes(bytes, offset, length));
      return Int32Array.from({ length: n }, (_, i) => view.getInt32(4 * i, true));
    case "BOOL":
      return Uint8Array.from(bytes.subarray(offset, offset + length), (b) => (b !== 0 ? 1 : 0));
    case "F16":
      return Float32Array.from({ length: n }, (_, i) => halfToFloat(view.getUint16(2 * i, true)));
    case "BF16": {
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    case "I64":
      return Int32Array.from({ length: n }, (_, i) => {
        const v = view.getBigInt64(8 * i, true);
        if (v < -2147483648n || v > 2147483647n) throw new Error(`parseSafetensors: tensor '${name}' (I64) value ${v} at index ${i} does not fit int32`);
        return Number(v);
      });
    case "U32":
      return Int32Array.from({ length: n }, (_, i) => {
        const v = view.getUint32(4 * i, true);
        if (v > 2147483647) throw new Error(`parseSafetensors: tensor '${name}' (U32) value ${v} at index ${i} does not fit int32`);
        return v;
      });
    case "I16":
      return Int32Array.from({ length: n }, (_, i) => view.getInt16(2 * i, true));
    case "U16":
      return Int32Array.from({ length: n }, (_, i) => view.getUint16(2 * i, true));
    case "I8":
      return Int32Array.from({ length: n }, (_, i) => view.getInt8(i));
    case "U8":
      return Int32Array.from({ length: n }, (_, i) => view.getUint8(i));
    default:
      throw new Error(`parseSafetensors: tensor '${name}' has dtype ${dtype}, which Heed cannot load`);
  }
}
