#!/usr/bin/env node
/**
 * The bench's `train/mha-residual` step (x + MHA(x), E 128, H 4, L 64, B 16, loss
 * mean((y − t)²), backward, Adam lr 1e-3) in one process, for paired A/B runs and profiles of
 * one checkout's built packages:
 *
 *   node scripts/mha-step.mjs [--root=/path/to/checkout] [--threads=2] [--steps=200] [--warm=30]
 *                             [--profile=out.cpuprofile] [--losses=1] [--copies=1] [--release=1] [--pool=1]
 *                             [--pin=1]
 *
 * Prints one JSON line: median and mean step (ms), the main thread's CPU per step, and a hash of
 * every step's float32 loss (with --losses, the losses themselves), so that two builds can be
 * checked for the same bits. `--profile` samples the calling thread (100 µs) over the timed steps.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const root = args.root ?? fileURLToPath(new URL("../../..", import.meta.url));
const THREADS = Number(args.threads ?? 2);
const STEPS = Number(args.steps ?? 200);
const WARM = Number(args.warm ?? 30);
const [B, L, E, H] = [16, 64, 128, 4];

const load = (pkg) => import(`${root}/packages/${pkg}/dist/index.node.js`);
const tc = await load("tensor-core");
const autograd = await load("autograd");
const nn = await load("nn");
const attention = await load("attention");
const { setNumThreads, threadPoolStats } = await import(`${root}/packages/tensor-core/dist/node/index.node.js`);
if (setNumThreads(THREADS) !== THREADS || tc.wasmInfo().threads !== THREADS) throw new Error(`setNumThreads(${THREADS}) failed: ${JSON.stringify(tc.wasmInfo())}`);

/** mulberry32: the same inputs in every checkout. */
function values(n, seed, scale) {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}
const tensor = (data, shape) => new tc.Tensor(data, shape);
const mha = new attention.MultiHeadAttention({ embedDim: E, numHeads: H });
mha.loadStateDict(
  new Map([
    ["in_proj_weight", tensor(values(3 * E * E, 1, Math.sqrt(6 / (4 * E))), [3 * E, E])],
    ["in_proj_bias", tensor(values(3 * E, 2, 0.1), [3 * E])],
    ["out_proj.weight", tensor(values(E * E, 3, 1 / Math.sqrt(E)), [E, E])],
    ["out_proj.bias", tensor(values(E, 4, 0.1), [E])],
  ]),
);
const x = tensor(values(B * L * E, 5, 1), [B, L, E]);
const target = tensor(values(B * L * E, 6, 1), [B, L, E]);
const opt = new nn.Adam(mha.parameters(), { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8 });
const { add, sub, square, mean } = tc;

const params = mha.parameters();
/** The bench's step; with --release, forward and backward inside `releaseActivations` as a trainer's step. */
function step() {
  const body = () => {
    const loss = mean(square(sub(add(x, mha.forward(x, x, x, { needWeights: false }).output), target)));
    const value = loss.data[0];
    loss.backward();
    return value;
  };
  let value;
  if (args.release === undefined) {
    opt.zeroGrad();
    value = body();
  } else value = autograd.releaseActivations(body, { replaceGradients: params });
  opt.step();
  return value;
}

/** --copies: time every `set` out of (from a shared buffer) and into wasm memory (onto one). */
const copies = { outMs: 0, outBytes: 0, outCalls: 0, inMs: 0, inBytes: 0, inCalls: 0, on: false };
if (args.copies !== undefined) {
  const set = Float32Array.prototype.set;
  const isShared = (v) => typeof SharedArrayBuffer !== "undefined" && v?.buffer instanceof SharedArrayBuffer;
  Float32Array.prototype.set = function (src, offset) {
    if (!copies.on) return set.call(this, src, offset);
    const t0 = performance.now();
    set.call(this, src, offset);
    const dt = performance.now() - t0;
    if (isShared(src) && !isShared(this)) [copies.outMs, copies.outBytes, copies.outCalls] = [copies.outMs + dt, copies.outBytes + 4 * src.length, copies.outCalls + 1];
    else if (isShared(this)) [copies.inMs, copies.inBytes, copies.inCalls] = [copies.inMs + dt, copies.inBytes + 4 * src.length, copies.inCalls + 1];
  };
}
const losses = new Float32Array(WARM + STEPS);
for (let i = 0; i < WARM; i++) losses[i] = step();
/**
 * --pin: the calling thread on vCPU 0 and the pool's worker (the busiest other thread over the
 * warm-up) on vCPU 1 (`taskset`), so that a loaded host's scheduler cannot put both on one vCPU.
 */
if (args.pin !== undefined && THREADS === 2) {
  const { readdirSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  const busy = (tid) => Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  const others = readdirSync("/proc/self/task").filter((t) => Number(t) !== process.pid);
  const worker = others.reduce((a, b) => (busy(a) >= busy(b) ? a : b));
  execFileSync("taskset", ["-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  execFileSync("taskset", ["-p", "-c", "1", worker], { stdio: "ignore" });
}
let session;
if (args.profile !== undefined) {
  session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
}
const times = [];
copies.on = true;
if (args.pool !== undefined) threadPoolStats({ reset: true });
const cpu0 = process.cpuUsage();
const faults0 = process.resourceUsage().minorPageFault;
const main0 = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ").map(Number);
for (let i = 0; i < STEPS; i++) {
  const t0 = performance.now();
  losses[WARM + i] = step();
  times.push(performance.now() - t0);
}
const main1 = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ").map(Number);
const cpu = process.cpuUsage(cpu0);
const pool = args.pool === undefined ? undefined : threadPoolStats();
const faults = process.resourceUsage().minorPageFault - faults0;
if (session !== undefined) {
  const { profile } = await session.post("Profiler.stop");
  await writeFile(args.profile, JSON.stringify(profile));
}
const sorted = [...times].sort((a, b) => a - b);
const result = {
  root,
  threads: THREADS,
  steps: STEPS,
  medianMs: +sorted[sorted.length >> 1].toFixed(3),
  meanMs: +(times.reduce((s, t) => s + t, 0) / STEPS).toFixed(3),
  minMs: +sorted[0].toFixed(3),
  mainCpuMs: +((main1[0] - main0[0]) / 1e6 / STEPS).toFixed(3),
  mainWaitMs: +((main1[1] - main0[1]) / 1e6 / STEPS).toFixed(3),
  processCpuMs: +((cpu.user + cpu.system) / 1000 / STEPS).toFixed(3),
  systemCpuMs: +(cpu.system / 1000 / STEPS).toFixed(3),
  faultsPerStep: +(faults / STEPS).toFixed(1),
  ...(args.copies === undefined ? {} : { copies: Object.fromEntries(Object.entries(copies).filter(([k]) => k !== "on").map(([k, v]) => [k, +(v / STEPS).toFixed(3)])) }),
  ...(pool === undefined ? {} : { pool: Object.fromEntries(Object.entries(pool).map(([k, v]) => [k, k === "threads" ? v : +(v / STEPS).toFixed(3)])) }),
  lossHash: createHash("sha256").update(new Uint8Array(losses.buffer)).digest("hex").slice(0, 16),
  lastLoss: losses[losses.length - 1],
  ...(args.losses === undefined ? {} : { losses: [...losses] }),
};
console.log(JSON.stringify(result));
process.exit(0);
