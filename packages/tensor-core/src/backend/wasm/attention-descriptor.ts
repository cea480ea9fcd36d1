/**
 * The fused attention descriptor: DESC_WORDS i32 words the host writes (wasm/attention.ts)
 * and the kernels read (assembly/attention-common.ts re-exports these). Shared by both
 * sides, so valid TypeScript and AssemblyScript: only integer constants. Word indices:
 */
export const DESC_WORDS = 40;
/** Pointers to q, k, v, out and logsumexp. */
export const Q = 0, K = 1, V = 2, OUT = 3, LSE = 4;
/** Problem sizes L, S, E, Ev; SCALE holds an f32. */
export const L = 5, S = 6, E = 7, EV = 8, SCALE = 9;
/** Mask pointer, kind (0 none, 1 bool, 2 float) and its L and S strides. */
export const MASK = 10, MKIND = 11, MSL = 12, MSS = 13;
/** Causal flag, backward partial-sums flag, dropout seed (DROP_P_F64 holds an f64 over words 30–31). */
export const CAUSAL = 14, PARTS = 15, SEED = 16, DROP_P_F64 = 30;
/** Pointers to the per-problem offsets of q, k, v, mask and out. */
export const QOFF = 17, KOFF = 18, VOFF = 19, MOFF = 20, OOFF = 36;
/** Backward: gradOut and the gradient outputs. */
export const GO = 21, DQ = 22, DK = 23, DV = 24, DMASK = 25;
/** Scratch and per-thread work areas. */
export const SCR = 26, SCR_BYTES = 27, WORK0 = 28, WORK_BYTES = 29;
/** Row strides of q, k, v and out. */
export const QROW = 32, KROW = 33, VROW = 34, OROW = 35;
