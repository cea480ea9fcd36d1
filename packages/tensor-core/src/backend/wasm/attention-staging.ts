/**
 * The attention forward on threads, with the calling thread's copies overlapping the other
 * threads' work (wasm README, "Attention forward on 2 threads"): the caller copies the first
 * problem's inputs, wakes the workers (who start on it at once), then copies the rest of q, k
 * and v in problem by problem, raising the descriptor's READY count
 * after each and notifying (a task of problem b spins, then sleeps, in assembly/attention.ts
 * until READY > b), then allocates the output and runs its share of the tasks; once out of
 * tasks it copies each finished problem out (ROWS_DONE: rows computed per problem) while the
 * others still compute.
 * Every row is computed as on one thread, so the bits are the same.
 */
import type { AttentionLayout, AttentionProblem } from "../../fused/attention-kernel.js";
import { takeFloat32 } from "../../storage-pool.js";
import { READY } from "./attention-descriptor.js";
import type { WasmRuntime } from "./runtime.js";

type Name = "q" | "k" | "v";

/** Floats copied in before READY moves (64 KB: a 256 × 64 block; tiny problems are grouped). */
const CHUNK_FLOATS = 1 << 14;

/**
 * Copy q, k and v (those not aliased to an earlier one) into their blocks at `ptr` in problem
 * order: after problem b, every float that problems 0..b read is in memory, and READY is b + 1.
 * Rows are strided (`layout`), so problem b's reads end at offset + (rows − 1)·row + width.
 * READY moves in steps of at least CHUNK_FLOATS copied (many tiny problems: a few steps, not
 * one per problem). Returns a function that makes `steps` more steps, or (no argument) copies
 * the rest and sets READY to the batch size whatever happens, so that no worker is left waiting.
 */
export function inputCopier(rt: WasmRuntime, p: AttentionProblem<Float32Array>, layout: AttentionLayout, ptr: Map<string, number>, alias: Record<string, string>, desc: number): (steps?: number) => void {
  const i32 = rt.i32;
  const ready = (desc >> 2) + READY;
  const reads: Record<Name, [Int32Array, number, number, number]> = {
    q: [p.qOffsets, layout.qRow, p.L, p.E], k: [p.kOffsets, layout.kRow, p.S, p.E], v: [p.vOffsets, layout.vRow, p.S, p.Ev],
  };
  const sources = (["q", "k", "v"] as const).filter((n) => !(n in alias));
  const readers = sources.map((n) => (["q", "k", "v"] as const).filter((r) => (alias[r] ?? r) === n).map((r) => reads[r]));
  const copied = sources.map(() => 0);
  const need = sources.map(() => 0);
  const copy = (i: number, end: number): void => {
    const a = p[sources[i]!];
    const to = Math.min(end, a.length);
    if (to > copied[i]!) rt.f32.set(a.subarray(copied[i], to), (ptr.get(sources[i]!)! >> 2) + copied[i]!);
    copied[i] = Math.max(copied[i]!, to);
  };
  let b = 0;
  return (steps = Infinity) => {
    const last = steps === Infinity;
    try {
      for (; b < p.batch && steps > 0; b++) {
        let pending = 0;
        for (let i = 0; i < sources.length; i++) {
          for (const [offsets, row, rows, width] of readers[i]!) need[i] = Math.max(need[i]!, offsets[b]! + (rows - 1) * row + width);
          pending += Math.min(need[i]!, p[sources[i]!].length) - copied[i]!;
        }
        if (b + 1 < p.batch && pending < CHUNK_FLOATS) continue;
        for (let i = 0; i < sources.length; i++) copy(i, need[i]!);
        Atomics.store(i32, ready, b + 1);
        Atomics.notify(i32, ready); // a worker waiting for this problem sleeps after a spin
        steps--;
      }
      if (last) for (let i = 0; i < sources.length; i++) copy(i, Infinity);
    } finally {
      if (last) {
        // an exception here is rethrown once the tasks have run
        Atomics.store(i32, ready, p.batch);
        Atomics.notify(i32, ready);
      }
    }
  };
}

/** All of inputCopier's steps at once. */
export function copyInputs(rt: WasmRuntime, p: AttentionProblem<Float32Array>, layout: AttentionLayout, ptr: Map<string, number>, alias: Record<string, string>, desc: number): void {
  inputCopier(rt, p, layout, ptr, alias, desc)();
}

/** An array for n floats (from the storage pool when a scope is open) with every 4 KB page written once: its page faults happen here, not in the copy out. */
export function touched(n: number): Float32Array {
  const out = takeFloat32(n, false);
  for (let i = 0; i < n; i += 1024) out[i] = 0;
  return out;
}

/**
 * Copy problem b's out rows ([L, Ev] at b·L·Ev, a row-major out) and logsumexp into `out`, `lse`
 * once ROWS_DONE says all L rows are computed, in any order, while other threads still compute.
 * Passes over the problems until one copies nothing: the caller never spins here for a problem
 * still being computed (spinning took the CPU from a worker sharing its vCPU, under load; the
 * pool's own wait sleeps soon). Call it again once the tasks are done for the rest. Returns
 * whether every problem is copied; `copied` marks the problems already copied.
 */
export function copyFinished(rt: WasmRuntime, p: Pick<AttentionProblem, "batch" | "L" | "Ev">, ptr: Map<string, number>, out: Float32Array, lse: Float32Array, copied: Uint8Array): boolean {
  const { batch, L, Ev } = p;
  const i32 = rt.i32;
  const f32 = rt.f32;
  const done = ptr.get("rowsDone")! >> 2;
  const [o, l] = [ptr.get("out")! >> 2, ptr.get("lse")! >> 2];
  let left = batch - copied.reduce((a, c) => a + c, 0);
  for (let progress = true; left > 0 && progress;) {
    progress = false;
    for (let b = 0; b < batch; b++) {
      if (copied[b] !== 0 || Atomics.load(i32, done + b) < L) continue;
      out.set(f32.subarray(o + b * L * Ev, o + (b + 1) * L * Ev), b * L * Ev);
      lse.set(f32.subarray(l + b * L, l + (b + 1) * L), b * L);
      copied[b] = 1;
      left--;
      progress = true;
    }
  }
  return left === 0;
}
