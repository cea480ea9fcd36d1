/**
 * Constants shared by the host (src/backend/wasm/*.ts) and the AssemblyScript kernels
 * (assembly/*.ts): both import this file, so each value is written once. It must stay valid
 * in both languages — only `export const NAME = <integer expression>;` lines (AssemblyScript
 * infers i32) and comments.
 */

// ---- task table (assembly/tasks.ts runs it; the host fills it) ----
/** i32 words per task record; word 0 is the op code. */
export const TASK_WORDS = 16;
/** Task op codes. */
export const OP_GEMM = 1;
export const OP_SOFTMAX = 2;
export const OP_ATTN_FWD = 3;
export const OP_ATTN_BWD = 4;
export const OP_GEMM_BATCH = 5;
export const OP_COLSUM = 6;

/** Control block words (i32 indices from ctrl): NEXT, COUNT and TABLE are read by the kernels, the rest by the thread pool. */
export const CTRL_NEXT = 0;
export const CTRL_COUNT = 1;
export const CTRL_TABLE = 4;
export const CTRL_GEN = 8;
export const CTRL_DONE = 9;
export const CTRL_STOP = 10;
export const CTRL_READY = 11;
export const CTRL_ERROR = 12;
export const CTRL_JOIN = 13;
/** Non-zero while the caller is still adding tasks to the open call (COUNT grows): workers out of tasks wait for it before they report done. */
export const CTRL_MORE = 14;

// ---- element-wise binary op codes (binaryF32 in assembly/elementwise.ts) ----
export const EW_ADD = 0;
export const EW_SUB = 1;
export const EW_MUL = 2;
export const EW_DIV = 3;

// ---- fused attention (assembly/attention*.ts) ----
/** Query rows per attention block, at most. */
export const ATT_ROWS = 64;
/** Floats of one score tile: rows × r8(S) (or × E, Ev) must fit. */
export const TILE_FLOATS = 64 * 2048;
