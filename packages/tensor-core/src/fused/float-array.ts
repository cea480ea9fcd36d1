import { takeFloat32 } from "../storage-pool.js";

/** Storage of floating-point data: float32 in models, float64 in gradient checks. */
export type FloatArray = Float32Array | Float64Array;

/** A new zero-filled array of the same type as `like`. */
export function allocLike<A extends FloatArray>(like: A, n: number): A {
  return (like instanceof Float64Array ? new Float64Array(n) : takeFloat32(n)) as A;
}
