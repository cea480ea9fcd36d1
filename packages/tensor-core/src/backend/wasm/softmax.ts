/**
 * Fused, stable softmax / logSoftmax over the last axis on WebAssembly SIMD
 * (assembly/softmax.ts, a vectorised Cephes exp): one pass for the max, one for
 * exp(x − m) and its sum, one to scale. Rows split into tasks for the thread pool.
 * Other axes, dtypes and rank 0 use the reference kernel.
 */
import { Tensor } from "../../tensor.js";
import type { OpAttrs } from "../../registry.js";
import type { KernelTable } from "../backend.js";
import { referenceKernels } from "../js/index.js";
import { OP_SOFTMAX } from "./abi.js";
import { MAX_TASKS } from "./runtime.js";
import { getRuntime } from "./state.js";

/** Elements per task when a pool is attached. */
const TASK_ELEMENTS = 1 << 15;
/**
 * Threads only for very large inputs: the copies in and out on the calling thread dominate
 * (measured at [8192, 256]: 6.1 ms on 1 thread, 8.6 ms on 2).
 */
const PARALLEL_ELEMENTS = 1 << 22;

function softmaxLike<P extends "softmax" | "logSoftmax">(op: P): KernelTable[P] {
  return (inputs: readonly Tensor[], attrs: OpAttrs[P]) => {
    const x = inputs[0]!;
    if (x.dtype !== "float32" || x.rank === 0 || attrs.axis !== x.rank - 1 || x.size === 0) {
      return referenceKernels[op](inputs, attrs);
    }
    const n = x.shape[x.rank - 1]!;
    const rows = x.size / n;
    const rt = getRuntime();
    const px = rt.reserve(4 * x.size);
    rt.f32.set(x.data, px >> 2);
    const parallel = rt.threads > 1 && x.size >= PARALLEL_ELEMENTS;
    const per = parallel ? Math.max(1, Math.ceil(Math.max(TASK_ELEMENTS / n, rows / MAX_TASKS))) : rows;
    let t = 0;
    for (let r = 0; r < rows; r += per) {
      const p = px + 4 * r * n;
      rt.setTask(t++, [OP_SOFTMAX, p, p, Math.min(per, rows - r), n, op === "logSoftmax" ? 1 : 0]);
    }
    rt.runTasks(t, parallel);
    return new Tensor(rt.read(px, x.size), x.shape, "float32");
  };
}

export const softmax = softmaxLike("softmax");
export const logSoftmax = softmaxLike("logSoftmax");
