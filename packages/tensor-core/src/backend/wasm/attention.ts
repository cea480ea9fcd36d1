/**
 * The fused attention kernels (src/fused/attention-kernel.ts contract) on WebAssembly SIMD
 * (assembly/attention.ts): per block of query rows, scores by a 4×8 SIMD micro-kernel against
 * Kᵀ packed once per task, a vectorised softmax with logsumexp, then P·V reading V in place
 * (from S = 128 keys with relaxed SIMD: 6×8 products over K, V packed in 6-row / 6-column panels,
 * assembly/attention-mk6.ts); backward recomputes P from the logsumexp. Forward tasks are whole problems when there are
 * at least 4 per thread (the last `threads` of them in row parts: forwardTasks), else row blocks; backward tasks are whole problems, or row ranges
 * with partial dK, dV when there are fewer than 2 problems per thread. Extra memory is two
 * [64, S] tiles per thread plus per-thread copies of one problem's K, V (and Q, dO for widths
 * that are not multiples of 8). Strided rows (the contract's `layout`) are read and written in
 * place: the descriptor holds the row strides and the output offsets. Float64 problems
 * (gradient checks) and S, E or Ev > 32768 use the TypeScript reference.
 */
import { layoutOf, type AttentionBackwardArgs, type AttentionBackwardResult, type AttentionForwardResult, type AttentionLayout, type AttentionProblem } from "../../fused/attention-kernel.js";
import type { FloatArray } from "../../fused/float-array.js";
import type { FusedKernels } from "../../fused/kernels.js";
import { attentionBackwardReference } from "../../fused/attention-backward.js";
import { attentionForwardReference } from "../../fused/attention-forward.js";
import { ATT_ROWS, OP_ATTN_BWD as OP_BWD, OP_ATTN_FWD as OP_FWD, TILE_FLOATS } from "./abi.js";
import * as D from "./attention-descriptor.js";
import { MAX_TASKS, type WasmRuntime } from "./runtime.js";
import { getRuntime } from "./state.js";

const { DESC_WORDS } = D;

const r8 = (x: number): number => (x + 7) & ~7;
type Widths = Pick<AttentionProblem, "S" | "E" | "Ev">;
const widest = (p: Widths): number => Math.max(r8(p.S), r8(p.E), r8(p.Ev));
/** Query rows per block (assembly/attention.ts attentionRows): tiles of rows × r8(S), or × E, Ev. */
const blockRows = (p: Widths): number => Math.min(ATT_ROWS, Math.floor(TILE_FLOATS / widest(p)) & ~3);
/**
 * Per-thread scratch bytes (assembly/attention*.ts layouts): (E8 + Ev8)·(3·S8 + L + 64) floats,
 * and the forward's 6×8 layout 2·S8·(E8 + Ev8) + (R + 8)·(E8 + 2·Ev8), R = min(L, ATT_ROWS)
 * (the smaller one whenever it is used, S ≥ 128).
 */
const scratchBytes = (p: AttentionProblem): number => {
  const [E8, Ev8, S8, R] = [r8(p.E), r8(p.Ev), r8(p.S), Math.min(p.L, ATT_ROWS)];
  return 4 * Math.max((E8 + Ev8) * (3 * S8 + p.L + 64), 2 * S8 * (E8 + Ev8) + (R + 8) * (E8 + 2 * Ev8));
};

const supported = (p: AttentionProblem): boolean =>
  p.q instanceof Float32Array && p.batch > 0 && p.L > 0 && p.S > 0 && p.E > 0 && p.Ev > 0 && widest(p) <= TILE_FLOATS / 4;

/** Whether no two problems share a block (strictly increasing offsets, the usual case, are checked without a Set). */
function unique(a: Int32Array): boolean {
  let increasing = true;
  for (let i = 1; i < a.length && increasing; i++) increasing = a[i]! > a[i - 1]!;
  return increasing || new Set(a).size === a.length;
}

interface Placed { desc: number; ptr: Map<string, number>; rest: () => void }

/** Columns [lo, hi) of rows `row` floats apart that blocks of `width` at `offsets` cover. */
function columns(offsets: Int32Array, row: number, width: number): [number, number] {
  let [lo, hi] = [row, 0];
  for (const o of offsets) [lo, hi] = [Math.min(lo, o % row), Math.max(hi, (o % row) + width)];
  return [lo, hi];
}

/**
 * q, k or v that is the same array as an earlier one is copied once (packed projections). Its
 * gradient shares that one's block too when the two read disjoint columns of the same rows
 * (q | k | v side by side): every write then lands in its own columns. Otherwise (e.g. the
 * same tensor as q and k) each keeps its own gradient block.
 */
export function aliases(p: AttentionProblem, layout: AttentionLayout): Record<string, string> {
  const a: Record<string, string> = {};
  const of = { q: [p.qOffsets, layout.qRow, p.E], k: [p.kOffsets, layout.kRow, p.E], v: [p.vOffsets, layout.vRow, p.Ev] } as const;
  const share = (x: "q" | "k" | "v", y: "q" | "k" | "v"): void => {
    a[y] = x;
    const [[ox, rx, wx], [oy, ry, wy]] = [of[x], of[y]];
    const [[lx, hx], [ly, hy]] = [columns(ox, rx, wx), columns(oy, ry, wy)];
    if (rx === ry && (hx <= ly || hy <= lx)) a[`d${y}`] = `d${x}`;
  };
  if (p.k === p.q) share("q", "k");
  if (p.v === p.q) share("q", "v");
  else if (p.v === p.k) share("k", "v");
  return a;
}

/**
 * Copy the problem (and extra named arrays) into wasm memory and write the descriptor. A number
 * reserves that many zeroed bytes; names in `uninitialised` are reserved without zeroing; names
 * in `alias` get the named earlier block instead of their own.
 */
function place(rt: WasmRuntime, p: AttentionProblem<Float32Array>, layout: AttentionLayout, extra: Record<string, Float32Array | number>, uninitialised: readonly string[], alias: Record<string, string> = aliases(p, layout), prefix: Record<string, number> = {}): Placed {
  const arrays: Record<string, Float32Array | Int32Array | Uint8Array | number> = {
    q: p.q, k: p.k, v: p.v, qOff: p.qOffsets, kOff: p.kOffsets, vOff: p.vOffsets, oOff: layout.outOffsets,
    mOff: p.mask?.offsets ?? new Int32Array(0), mask: p.mask?.data ?? new Uint8Array(0), ...extra,
    scratch: rt.threads * scratchBytes(p),
  };
  const names = Object.keys(arrays);
  const bytes = names.map((n) => { const a = arrays[n]!; return n in alias ? 0 : typeof a === "number" ? a : a.byteLength; });
  const starts = rt.layout([DESC_WORDS * 4, ...bytes]);
  const ptr = new Map<string, number>(names.map((n, i) => [n, starts[i + 1]!]));
  for (const n of names) if (n in alias) ptr.set(n, ptr.get(alias[n]!)!);
  const u8 = rt.u8;
  const later: [Uint8Array, number][] = [];
  for (const n of names) {
    const a = arrays[n]!;
    if (n in alias) continue;
    if (typeof a === "number") {
      // 8 bytes at a time: a byte fill of shared memory (the threaded build) is ~10× slower; blocks are 64-byte aligned and padded
      if (!uninitialised.includes(n)) new Float64Array(u8.buffer, ptr.get(n), Math.ceil(a / 8)).fill(0);
    }
    else {
      const now = Math.min(prefix[n] ?? a.byteLength, a.byteLength);
      u8.set(new Uint8Array(a.buffer, a.byteOffset, now), ptr.get(n));
      if (now < a.byteLength) later.push([new Uint8Array(a.buffer, a.byteOffset + now, a.byteLength - now), ptr.get(n)! + now]);
    }
  }
  const rest = (): void => {
    const u = rt.u8;
    for (const [bytes, at] of later) u.set(bytes, at);
  };
  const desc = starts[0]!;
  const i32 = rt.i32;
  const d = desc >> 2;
  i32.fill(0, d, d + DESC_WORDS);
  const set = (word: number, value: number): void => void (i32[d + word] = value);
  const at = (n: string): number => ptr.get(n) ?? 0;
  set(D.Q, at("q")); set(D.K, at("k")); set(D.V, at("v")); set(D.OUT, at("out")); set(D.LSE, at("lse"));
  set(D.L, p.L); set(D.S, p.S); set(D.E, p.E); set(D.EV, p.Ev);
  new Float32Array(i32.buffer, desc + 4 * D.SCALE, 1)[0] = p.scale;
  if (p.mask !== null) {
    set(D.MASK, at("mask")); set(D.MKIND, p.mask.kind === "bool" ? 1 : 2); set(D.MSL, p.mask.strideL); set(D.MSS, p.mask.strideS);
  }
  set(D.CAUSAL, p.causal ? 1 : 0);
  set(D.SEED, p.dropout?.seed ?? 0);
  new Float64Array(i32.buffer, desc + 4 * D.DROP_P_F64, 1)[0] = p.dropout?.p ?? 0;
  set(D.QOFF, at("qOff")); set(D.KOFF, at("kOff")); set(D.VOFF, at("vOff")); set(D.MOFF, at("mOff")); set(D.OOFF, at("oOff"));
  set(D.QROW, layout.qRow); set(D.KROW, layout.kRow); set(D.VROW, layout.vRow); set(D.OROW, layout.outRow);
  set(D.GO, at("gradOut")); set(D.DQ, at("dq")); set(D.DK, at("dk")); set(D.DV, at("dv")); set(D.DMASK, at("dmask"));
  set(D.SCR, at("scratch")); set(D.SCR_BYTES, scratchBytes(p)); set(D.WORK0, rt.work(0)); set(D.WORK_BYTES, rt.workBytes);
  return { desc, ptr, rest };
}

/** Run task records in chunks of the table size. */
function runAll(rt: WasmRuntime, records: number[][], parallel: boolean): void {
  for (let s = 0; s < records.length; s += MAX_TASKS) {
    const chunk = records.slice(s, s + MAX_TASKS);
    chunk.forEach((r, i) => rt.setTask(i, r));
    rt.runTasks(chunk.length, parallel);
  }
}

/** Outputs from this many floats (1 MB) are allocated while the tasks run on the pool (smaller ones: no gain, MHA step). */
const EARLY_OUT_FLOATS = 1 << 18;

/**
 * Forward tasks [b, i0, rows]. With at least 4 problems per thread: one task per problem (K, V
 * packed once), except that the last `threads` problems are cut into 4 row parts each (whole
 * blocks), so the threads finish within a quarter problem of each other rather than a whole one
 * (8 problems of 1024 rows on 2 threads: 6 whole + 8 parts). Fewer problems: row blocks.
 * Every row's result is the same whichever task computes it.
 */
export function forwardTasks(p: Pick<AttentionProblem, "batch" | "L" | "S" | "E" | "Ev">, threads: number): [number, number, number][] {
  const { batch, L } = p;
  const block = blockRows(p);
  const whole = batch >= 4 * threads;
  const part = whole ? Math.ceil(L / 4 / block) * block : block;
  const tasks: [number, number, number][] = [];
  for (let b = 0; b < batch; b++) {
    const rows = whole && (threads === 1 || b < batch - threads) ? L : part;
    for (let i0 = 0; i0 < L; i0 += rows) tasks.push([b, i0, Math.min(rows, L - i0)]);
  }
  return tasks;
}

const copyOut = (rt: WasmRuntime, at: number, n: number): Float32Array => rt.read(at, n);

/**
 * How many leading problems to copy in before the workers start (0: copy everything first): a
 * sixteenth of them, at least one, when q, k and v are separate row-major arrays of problems at
 * increasing offsets (so those problems' rows are a prefix of each array) and the table holds
 * every task.
 */
export function feedProblems(p: AttentionProblem<Float32Array>, alias: Record<string, string>, tasks: number): number {
  if (p.layout !== undefined || Object.keys(alias).length > 0 || p.batch < 2 || tasks > MAX_TASKS) return 0;
  for (const o of [p.qOffsets, p.kOffsets, p.vOffsets]) for (let b = 1; b < o.length; b++) if (o[b]! <= o[b - 1]!) return 0;
  return Math.max(1, Math.ceil(p.batch / 16));
}

function forward<A extends FloatArray>(args: AttentionProblem<A>): AttentionForwardResult<A> {
  if (!supported(args)) return attentionForwardReference(args);
  const p = args as unknown as AttentionProblem<Float32Array>;
  const rt = getRuntime();
  const { batch, L } = p;
  const layout = layoutOf(p);
  const tasks = forwardTasks(p, rt.threads);
  const parallel = rt.threads > 1 && tasks.length > 1;
  // the first problems' q, k, v are copied before the workers start, the rest while they compute
  const alias = aliases(p, layout);
  const first = parallel ? feedProblems(p, alias, tasks.length) : 0;
  const prefix: Record<string, number> = first === 0 ? {} : { q: 4 * (p.qOffsets[first - 1]! + L * p.E), k: 4 * (p.kOffsets[first - 1]! + p.S * p.E), v: 4 * (p.vOffsets[first - 1]! + p.S * p.Ev) };
  // every float of a row-major out is written; a strided one may have gaps, zeroed
  const { desc, ptr, rest } = place(rt, p, layout, { out: layout.outLength * 4, lse: batch * L * 4 }, p.layout === undefined ? ["out", "lse", "scratch"] : ["lse", "scratch"], alias, prefix);
  const records = tasks.map(([b, i0, rows]) => [OP_FWD, desc, b, i0, rows]);
  // a large output's page faults happen on this thread while the workers start on the tasks
  if (parallel && layout.outLength >= EARLY_OUT_FLOATS) rt.allocateDuringTasks(layout.outLength);
  if (first > 0) {
    let ready = 0;
    while (ready < tasks.length && tasks[ready]![0] < first) ready++;
    for (let i = 0; i < records.length; i++) rt.setTask(i, records[i]!);
    rt.runTasks(records.length, true, { first: ready, fill: rest });
  } else runAll(rt, records, parallel);
  const out = copyOut(rt, ptr.get("out")!, layout.outLength);
  const logsumexp = copyOut(rt, ptr.get("lse")!, batch * L);
  return { out, logsumexp } as unknown as AttentionForwardResult<A>;
}

function backward<A extends FloatArray>(args: AttentionBackwardArgs<A>): AttentionBackwardResult<A> {
  if (!supported(args)) return attentionBackwardReference(args);
  const p = args as unknown as AttentionBackwardArgs<Float32Array>;
  const rt = getRuntime();
  const layout = layoutOf(p);
  const wantMask = p.wantMaskGrad && p.mask !== null && p.mask.kind === "float";
  const extra: Record<string, Float32Array | number> = {
    out: p.out, lse: p.logsumexp, gradOut: p.gradOut, dq: p.q.byteLength, dk: p.k.byteLength, dv: p.v.byteLength,
  };
  if (wantMask) extra.dmask = p.mask.data.byteLength; // no dmask pointer: the kernel skips dMask
  // Problems sharing a block (broadcast inputs or mask) accumulate into it: keep those on one thread.
  const disjoint = unique(p.qOffsets) && unique(p.kOffsets) && unique(p.vOffsets) && (!wantMask || unique(p.mask.offsets));
  // Fewer problems than twice the threads: split each by query rows; every part but the first
  // accumulates dK, dV into its own zeroed block, summed into the outputs afterwards.
  const rows = blockRows(p);
  const split = rt.threads > 1 && disjoint && !wantMask && p.batch < 2 * rt.threads ? Math.min(Math.ceil((2 * rt.threads) / p.batch), Math.ceil(p.L / rows)) : 1;
  const partRows = Math.ceil(p.L / split / rows) * rows;
  const parts = split > 1 ? Math.ceil(p.L / partRows) : 1;
  const [kBlock, vBlock] = [p.S * p.E, p.S * p.Ev];
  if (parts > 1) {
    extra.parts = 20 * p.batch * parts;
    extra.partial = 4 * p.batch * (parts - 1) * (kBlock + vBlock);
  }
  const { desc, ptr } = place(rt, p, layout, extra, ["scratch", "parts"]);
  let records: number[][];
  if (parts > 1) {
    const table = new Int32Array(5 * p.batch * parts);
    records = [];
    for (let b = 0; b < p.batch; b++) {
      for (let part = 0; part < parts; part++) {
        const at = ptr.get("partial")! + 4 * (b * (parts - 1) + part - 1) * (kBlock + vBlock);
        const t = b * parts + part;
        table.set([b, part * partRows, Math.min(p.L, (part + 1) * partRows), part > 0 ? at : 0, part > 0 ? at + 4 * kBlock : 0], 5 * t);
        records.push([OP_BWD, desc, t]);
      }
    }
    rt.i32.set(table, ptr.get("parts")! >> 2);
    rt.i32[(desc >> 2) + D.PARTS] = ptr.get("parts")!;
  } else {
    records = Array.from({ length: p.batch }, (_, b) => [OP_BWD, desc, b]);
  }
  runAll(rt, records, rt.threads > 1 && disjoint && records.length > 1);
  if (parts > 1) {
    // the parts' own blocks are row-major [S, E], [S, Ev]; dk, dv rows are kRow, vRow apart
    const f32 = rt.f32;
    const { S, E, Ev } = p;
    for (let b = 0; b < p.batch; b++) {
      const dk = (ptr.get("dk")! >> 2) + p.kOffsets[b]!;
      const dv = (ptr.get("dv")! >> 2) + p.vOffsets[b]!;
      for (let part = 1; part < parts; part++) {
        const at = (ptr.get("partial")! >> 2) + (b * (parts - 1) + part - 1) * (kBlock + vBlock);
        for (let j = 0; j < S; j++) {
          const k = dk + j * layout.kRow;
          const v = dv + j * layout.vRow;
          for (let e = 0; e < E; e++) f32[k + e]! += f32[at + j * E + e]!;
          for (let e = 0; e < Ev; e++) f32[v + e]! += f32[at + kBlock + j * Ev + e]!;
        }
      }
    }
  }
  const alias = aliases(p, layout);
  const dq = copyOut(rt, ptr.get("dq")!, p.q.length);
  const dk = alias.dk === "dq" ? dq : copyOut(rt, ptr.get("dk")!, p.k.length);
  const result = {
    dq, dk,
    dv: alias.dv === "dq" ? dq : alias.dv === "dk" ? dk : copyOut(rt, ptr.get("dv")!, p.v.length),
    dmask: wantMask ? copyOut(rt, ptr.get("dmask")!, p.mask.data.length) : null,
  };
  return result as unknown as AttentionBackwardResult<A>;
}

export const wasmFusedKernels: Pick<FusedKernels, "attentionForward" | "attentionBackward"> = {
  attentionForward: forward,
  attentionBackward: backward,
};
