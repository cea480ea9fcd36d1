/**
 * The safetensors dtype table. `RANK` is the order of the reference implementation's
 * `Dtype` enum (huggingface/safetensors, "increasing alignment order"): its writer sorts
 * tensors by descending rank, then by name, so larger elements come first and stay aligned.
 */
import type { DType } from "@heed/tensor-core";

export const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

const RANK_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"];
export const RANK: Readonly<Record<string, number>> = Object.fromEntries(RANK_ORDER.map((d, i) => [d, i]));

/** The safetensors name of each Heed dtype (what the writer emits). */
export const WRITE_DTYPE: Readonly<Record<DType, string>> = { float32: "F32", float64: "F64", int32: "I32", bool: "BOOL" };

/** What each readable safetensors dtype becomes in Heed. F16/BF16 widen to float32; integers narrow to int32 when they fit. */
export const READ_DTYPE: Readonly<Record<string, DType>> = {
  F32: "float32", F64: "float64", F16: "float32", BF16: "float32",
  I32: "int32", I64: "int32", I16: "int32", I8: "int32", U8: "int32", U16: "int32", U32: "int32",
  BOOL: "bool",
};

/** True on little-endian hosts (every mainstream one); big-endian hosts take a DataView path. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Compare two strings by Unicode code point, which is the byte order of their UTF-8 encodings (Rust's `str::cmp`). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}
