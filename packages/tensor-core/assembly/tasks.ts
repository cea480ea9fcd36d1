// A shared task table, so that the main thread and worker threads run the same loop:
// each caller claims task indices from an atomic counter until none is left. A task is
// a record of 16 i32 words; word 0 is the op code. Single-threaded builds use plain
// loads and stores (no shared memory, no atomics).
import { sgemm } from "./matmul";
import { softmaxRows } from "./softmax";
import { attentionBackward, attentionForward } from "./attention";
import { binaryF32, sumF32 } from "./elementwise";

import {
  CTRL_COUNT as COUNT, CTRL_NEXT as NEXT, CTRL_TABLE as TABLE, EW_ADD, OP_ATTN_BWD, OP_ATTN_FWD, OP_COLSUM, OP_GEMM, OP_GEMM_BATCH, OP_SOFTMAX, TASK_WORDS,
} from "../src/backend/wasm/abi";

/**
 * The next unclaimed task index, or −1 when none is left. With threads, COUNT may grow while a
 * call is open (the caller publishing tasks whose inputs it has just copied), so an index is
 * taken only while it is below COUNT: a failed claim never uses up an index.
 */
function claim(ctrl: usize): i32 {
  if (ASC_FEATURE_THREADS) {
    for (;;) {
      const t = atomic.load<i32>(ctrl + NEXT * 4);
      if (t >= atomic.load<i32>(ctrl + COUNT * 4)) return -1;
      if (atomic.cmpxchg<i32>(ctrl + NEXT * 4, t, t + 1) == t) return t;
    }
  }
  const t = load<i32>(ctrl + NEXT * 4);
  if (t >= load<i32>(ctrl + COUNT * 4)) return -1;
  store<i32>(ctrl + NEXT * 4, t + 1);
  return t;
}

function runTask(t: usize, work: usize): void {
  const op = load<i32>(t);
  if (op == OP_GEMM) {
    // [op, m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, accumulate, bias]: bias (0: none) is
    // added to every row of this part of C after the product (binaryF32's add: its bits)
    const m = load<i32>(t, 4), n = load<i32>(t, 8), c = <usize>load<i32>(t, 40), ldc = load<i32>(t, 44);
    sgemm(
      m, n, load<i32>(t, 12),
      <usize>load<i32>(t, 16), load<i32>(t, 20), load<i32>(t, 24),
      <usize>load<i32>(t, 28), load<i32>(t, 32), load<i32>(t, 36),
      c, ldc, work, load<i32>(t, 48) != 0,
    );
    const bias = <usize>load<i32>(t, 52);
    if (bias != 0) {
      if (n == ldc) binaryF32(EW_ADD, false, c, bias, c, m * n, n);
      else for (let i = 0; i < m; i++) binaryF32(EW_ADD, false, c + <usize>(i * ldc) * 4, bias, c + <usize>(i * ldc) * 4, n, n);
    }
  } else if (op == OP_GEMM_BATCH) {
    // [op, count, m, n, k, a, rsA, csA, strideA, b, rsB, csB, strideB, c, ldc, strideC]:
    // `count` products C_i = A_i·B_i with A_i at a + 4·i·strideA (strides in elements)
    const count = load<i32>(t, 4);
    const m = load<i32>(t, 8), n = load<i32>(t, 12), k = load<i32>(t, 16);
    const a = <usize>load<i32>(t, 20), rsA = load<i32>(t, 24), csA = load<i32>(t, 28), sA = <usize>load<i32>(t, 32) << 2;
    const b = <usize>load<i32>(t, 36), rsB = load<i32>(t, 40), csB = load<i32>(t, 44), sB = <usize>load<i32>(t, 48) << 2;
    const c = <usize>load<i32>(t, 52), ldc = load<i32>(t, 56), sC = <usize>load<i32>(t, 60) << 2;
    for (let i = 0; i < count; i++) {
      const u = <usize>i;
      sgemm(m, n, k, a + u * sA, rsA, csA, b + u * sB, rsB, csB, c + u * sC, ldc, work, false);
    }
  } else if (op == OP_SOFTMAX) {
    // [op, x, y, rows, n, log]
    softmaxRows(<usize>load<i32>(t, 4), <usize>load<i32>(t, 8), load<i32>(t, 12), load<i32>(t, 16), load<i32>(t, 20) != 0);
  } else if (op == OP_ATTN_FWD) {
    // [op, descriptor, b, i0, rows]
    attentionForward(<usize>load<i32>(t, 4), load<i32>(t, 8), load<i32>(t, 12), load<i32>(t, 16), work);
  } else if (op == OP_ATTN_BWD) {
    // [op, descriptor, b]
    attentionBackward(<usize>load<i32>(t, 4), load<i32>(t, 8), work);
  } else if (op == OP_COLSUM) {
    // [op, x, out, outer, rows, inner, acc]: sumF32 (acc: scratch for `inner` float64s)
    sumF32(<usize>load<i32>(t, 4), <usize>load<i32>(t, 8), load<i32>(t, 12), load<i32>(t, 16), load<i32>(t, 20), <usize>load<i32>(t, 24));
  } else {
    unreachable();
  }
}

/** Run tasks from the table at ctrl until none is left; `work` is this thread's scratch area. */
export function runTasks(ctrl: usize, work: usize): void {
  const table = <usize>load<i32>(ctrl + TABLE * 4);
  for (;;) {
    const i = claim(ctrl);
    if (i < 0) return;
    runTask(table + <usize>(i * TASK_WORDS) * 4, work);
  }
}
