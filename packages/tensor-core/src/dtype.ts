import { takeFloat32 } from "./storage-pool.js";

/**
 * Element types. `float32` is the storage type of models; `float64` exists so that
 * finite-difference gradient checks and references can run in double precision;
 * `int32` holds indices and `bool` holds masks (one byte per element, 0 or 1).
 */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The typed array that stores each dtype. */
export interface DataArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}
export type DataArray = DataArrayOf[DType];

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool"];

export function isFloat(dtype: DType): dtype is "float32" | "float64" {
  return dtype === "float32" || dtype === "float64";
}

/** A new zero-filled array of `n` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, n: number): DataArrayOf[D] {
  switch (dtype) {
    case "float32":
      return takeFloat32(n) as DataArrayOf[D];
    case "float64":
      return new Float64Array(n) as DataArrayOf[D];
    case "int32":
      return new Int32Array(n) as DataArrayOf[D];
    case "bool":
      return new Uint8Array(n) as DataArrayOf[D];
    default:
      throw new Error(`allocate: unknown dtype '${String(dtype)}' (expected one of ${DTYPES.join(", ")})`);
  }
}

/** The dtype whose storage is `data`. */
export function dtypeOfArray(data: DataArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Type promotion for binary arithmetic, as in PyTorch: bool < int32 < float32 < float64. */
export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
