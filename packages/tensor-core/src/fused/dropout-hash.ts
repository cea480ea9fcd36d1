/**
 * Counter-based dropout decisions for attention weights: whether weight (row, col) is kept
 * is a pure function of (seed, row, col), so the memory-efficient kernels can regenerate
 * the same mask in forward and backward without storing [B, H, L, S] bits, and the
 * composed path can build the identical mask as a tensor. row = b·L + i for problem b.
 */

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The per-row part of the hash: fixed for a whole row (of attention weights, or a flat tensor with row 0). */
export function dropoutKey(seed: number, row: number): number {
  return fmix32(fmix32(seed ^ 0x9e3779b9) ^ row);
}

/** The hash of column `col` under a row's key, as an unsigned 32-bit integer. */
export function dropoutKeyedUniformBits(key: number, col: number): number {
  return fmix32(key + Math.imul(col, 0x27d4eb2f)) >>> 0;
}

/** A uniform number in [0, 1) determined by (seed, row, col). */
export function dropoutUniform(seed: number, row: number, col: number): number {
  return dropoutKeyedUniformBits(dropoutKey(seed, row), col) / 4294967296;
}

/** The factor weight (row, col) is multiplied by: 0 if dropped, 1 / (1 − p) if kept. */
export function dropoutFactor(seed: number, row: number, col: number, p: number): number {
  return dropoutUniform(seed, row, col) < p ? 0 : 1 / (1 - p);
}
