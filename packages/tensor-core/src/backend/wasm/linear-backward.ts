/**
 * The fused `linearBackward` kernel (fused/linear-backward.ts) on WebAssembly SIMD: G is copied
 * into wasm memory once for dx = G·W, dW = Gᵀ·x (the GEMMs of `matmul`, split the same way) and
 * db = Σ_rows G (the `sum` kernel's column sums), and all three run as one task table — on 2+
 * threads one pool call, dW's parts first, then the column sums, then dx's (smaller) row parts,
 * so that whichever thread finishes first takes the tail. Each result is copied out. The same
 * bits as the three separate kernels. Other dtypes use the reference.
 */
import { linearBackwardReference, type LinearBackwardKernel, type LinearBackwardResult } from "../../fused/linear-backward.js";
import { OP_COLSUM } from "./abi.js";
import { gemmPanel, gemmTasks, gemmThreads, runTaskList, type Batch } from "./matmul.js";
import { getRuntime } from "./state.js";

const ONE: Batch = { count: 1, sA: 0, sB: 0, offA: null, offB: null };

export const linearBackward: LinearBackwardKernel = (args) => {
  const { gradOut, x, weight, rows, inFeatures: I, outFeatures: O, wantDx, wantDw, wantDb } = args;
  const f32 = gradOut instanceof Float32Array && (!wantDw || x instanceof Float32Array) && (!wantDx || weight instanceof Float32Array);
  if (!f32 || rows * O * I === 0) return linearBackwardReference(args);
  const rt = getRuntime();
  const [pg, px, pw, pdx, pdw, pdb, pacc] = rt.layout([
    4 * gradOut.length, wantDw ? 4 * x.length : 0, wantDx ? 4 * weight.length : 0,
    wantDx ? 4 * rows * I : 0, wantDw ? 4 * O * I : 0, wantDb ? 4 * O : 0, wantDb ? 8 * O : 0,
  ]) as [number, number, number, number, number, number, number];
  const mem = rt.f32;
  mem.set(gradOut, pg >> 2);
  if (wantDw) mem.set(x, px >> 2);
  if (wantDx) mem.set(weight, pw >> 2);
  // each product is split over the threads from the same size as a lone `matmul` would be
  const threads = gemmThreads(rt, 2 * rows * O * I);
  const panel = gemmPanel(rt);
  const tasks: number[][] = [];
  if (wantDw) tasks.push(...gemmTasks({ M: O, N: I, K: rows, transA: true, transB: false, pa: pg, pb: px, pc: pdw }, ONE, threads, panel));
  if (wantDb) tasks.push([OP_COLSUM, pg, pdb, 1, rows, O, pacc]);
  if (wantDx) tasks.push(...gemmTasks({ M: rows, N: I, K: O, transA: false, transB: false, pa: pg, pb: pw, pc: pdx }, ONE, threads, panel));
  // the largest output's array is allocated (and its pages touched) while the workers compute
  rt.allocateDuringTasks(wantDx ? rows * I : wantDw ? O * I : 0);
  runTaskList(rt, tasks, threads > 1);
  const dx = wantDx ? rt.read(pdx, rows * I) : null;
  const dw = wantDw ? rt.read(pdw, O * I) : null;
  const db = wantDb ? rt.read(pdb, O) : null;
  return { dx, dw, db } as unknown as LinearBackwardResult<typeof gradOut>;
};
