/**
 * The runtime for the element-wise binary ops (add, sub, mul, div) and sums, which never use the
 * worker pool. With threads on, the current runtime's memory is shared, and copies into and out
 * of a shared memory are ~3× slower than through a private one (a relaxed word-by-word copy);
 * these kernels are mostly copies, so they run on a second instance of the one-thread variant
 * with its own private memory instead. Only these: layer norms, dropout and Adam stay on the
 * shared memory (session 12 moved them too, and g2p training, which calls them, measured
 * slower; g2p's step calls none of the kernels here). The same kernel source compiled without
 * threads gives the same bits (the one-thread and the threaded runtime agree bit for bit).
 * With one thread it is the current runtime itself.
 */
import { isNode } from "./environment.js";
import { loadedVariant, loadVariantSync } from "./loader.js";
import { variantOf } from "./module.js";
import { WasmRuntime } from "./runtime.js";
import { getRuntime } from "./state.js";

let serial: WasmRuntime | null = null;

/**
 * The runtime a kernel that runs on the calling thread alone should use: the current one when
 * its memory is private; else a private-memory instance of the same kernels (made once, kept
 * while threads are on; its memory grows to the largest such call and is reused). Falls back
 * to the current runtime where the one-thread variant is not loaded (a browser that never
 * loaded it) or would not be the same SIMD flavour.
 */
export function getSerialRuntime(): WasmRuntime {
  const rt = getRuntime();
  if (!rt.shared) {
    serial = null; // back on one thread: drop the private instance and its memory
    return rt;
  }
  if (serial !== null && serial.relaxed === rt.relaxed) return serial;
  const variant = variantOf(rt.relaxed, false);
  const loaded = loadedVariant(variant) ?? (isNode() ? loadVariantSync(variant) : null);
  if (loaded === null || loaded.relaxed !== rt.relaxed) return rt;
  serial = WasmRuntime.create(loaded.module, false, loaded.relaxed);
  return serial;
}
