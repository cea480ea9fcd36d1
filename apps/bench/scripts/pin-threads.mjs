#!/usr/bin/env node
/**
 * Does the guest's scheduler explain the missing 2-thread speed-up? Drives the bench's own
 * engine children (`dist/index.js --worker=<case>@<engine>`, the code `pnpm bench` times) and,
 * between segments of timed iterations in the same process, changes only where the threads may
 * run:
 *   free  — nothing changed;
 *   pin   — the main thread on one vCPU and the kernel pool's worker thread on the other (swapped every round)
 *           (`taskset -p -c`, per thread id; undone after the segment);
 *   same  — both on one vCPU (what packing does at worst);
 *   pack0 — `kernel.sched_vcpu_pack` set to 0 for the segment and restored right after
 *           (root only; the original value is restored on every exit path).
 * Per segment: median iteration time, and per thread the CPU time and run-queue wait per
 * iteration (`/proc/<pid>/task/<tid>/schedstat`, ns) and utime + stime (`stat`, ticks).
 * A measurement tool: Heed itself never pins threads or changes sysctls.
 *
 *   node scripts/pin-threads.mjs [--rounds=3] [--cases=train/mha-residual,...] [--modes=free,pin,same,pack0]
 */
import { execFileSync, fork } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const ROUNDS = Number(args.rounds ?? 3);
const REPEATS = Number(args.repeats ?? 3);
const CASES = (args.cases ?? "train/mha-residual,sdpa/fwd-1x8x1024x64,sdpa/fwd-4x8x256x64,e2e/g2p-train").split(",");
const MODES = (args.modes ?? "free,pin,same,pack0").split(",");
/** Iterations per segment: about a second of work each. */
const ITERS = { "train/mha-residual": 80, "sdpa/fwd-1x8x1024x64": 40, "sdpa/fwd-4x8x256x64": 120, "e2e/g2p-train": 10 };
const SYSCTL = "/proc/sys/kernel/sched_vcpu_pack";
const INDEX = fileURLToPath(new URL("../dist/index.js", import.meta.url));

let packOriginal;
let packNote = "";
let packRead;
try {
  packRead = readFileSync(SYSCTL, "utf8").trim();
  packOriginal = packRead;
  writeFileSync(SYSCTL, packOriginal); // writable? (the same value: changes nothing)
} catch (err) {
  packNote = ` (not writable: ${err.code ?? err.message}; mode pack0 skipped)`;
  packOriginal = undefined;
}
const restorePack = () => {
  if (packOriginal !== undefined && readFileSync(SYSCTL, "utf8").trim() !== packOriginal) writeFileSync(SYSCTL, packOriginal);
};
process.on("exit", restorePack);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

const load = () => os.loadavg()[0].toFixed(2);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Per thread: [run ns, wait ns, utime + stime ticks, last cpu]. */
function threads(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").trim().split(" ").map(Number);
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      out.set(Number(tid), { run, wait, ticks: Number(f[11]) + Number(f[12]), cpu: Number(f[36]), comm });
    } catch {
      // thread ended between readdir and read
    }
  }
  return out;
}

function delta(before, after, tid) {
  const a = after.get(tid);
  const b = before.get(tid);
  if (a === undefined || b === undefined) return { run: 0, wait: 0, ticks: 0 };
  return { run: a.run - b.run, wait: a.wait - b.wait, ticks: a.ticks - b.ticks };
}

function affinity(tid, cpus) {
  execFileSync("taskset", ["-p", "-c", cpus, String(tid)], { stdio: "ignore" });
}

class Child {
  constructor(caseId, engineId) {
    this.proc = fork(INDEX, [`--worker=${caseId}@${engineId}`], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    this.queue = [];
    this.waiting = [];
    this.proc.on("message", (m) => (this.waiting.length ? this.waiting.shift()(m) : this.queue.push(m)));
  }
  next() {
    return this.queue.length ? Promise.resolve(this.queue.shift()) : new Promise((r) => this.waiting.push(r));
  }
  async run(n) {
    this.proc.send({ type: "run", n, timed: true });
    const m = await this.next();
    if (m.type !== "ran") throw new Error(`run failed: ${JSON.stringify(m)}`);
    return m.times;
  }
  async finish() {
    this.proc.send({ type: "finish" });
    await this.next();
    await new Promise((r) => this.proc.once("exit", r));
  }
}

/** One segment of `n` iterations in `mode`; returns median ms and per-thread cost per iteration. */
async function segment(child, pid, workerTid, mode, n, round) {
  const [a, b] = round % 2 === 0 ? ["0", "1"] : ["1", "0"]; // which vCPU the main thread gets alternates by round
  if (mode === "pin" || mode === "same") {
    affinity(pid, a);
    affinity(workerTid, mode === "pin" ? b : a);
  }
  if (mode === "pack0") writeFileSync(SYSCTL, "0");
  const l0 = load();
  const before = threads(pid);
  let times;
  try {
    times = await child.run(n);
  } finally {
    if (mode === "pack0") restorePack();
    if (mode === "pin" || mode === "same") {
      affinity(pid, "0,1");
      affinity(workerTid, "0,1");
    }
  }
  const after = threads(pid);
  const per = (d) => ({ runMs: d.run / 1e6 / n, waitMs: d.wait / 1e6 / n, tickMs: (d.ticks * 10) / n });
  const main = per(delta(before, after, pid));
  const worker = workerTid === undefined ? undefined : per(delta(before, after, workerTid));
  let others = 0;
  for (const tid of after.keys()) if (tid !== pid && tid !== workerTid) others += delta(before, after, tid).run;
  return { mode, ms: median(times), mean: times.reduce((s, t) => s + t, 0) / n, min: Math.min(...times), main, worker, othersMs: others / 1e6 / n, load: `${l0}-${load()}` };
}

async function session(caseId, engineId, modes, round) {
  const child = new Child(caseId, engineId);
  const ready = await child.next();
  if (ready.type !== "ready") throw new Error(`${caseId}@${engineId}: ${JSON.stringify(ready)}`);
  const pid = ready.pid;
  const n = ITERS[caseId] ?? 20;
  const t0 = threads(pid);
  await child.run(Math.max(2, n >> 2)); // warm-up; the pool's worker is the busiest thread besides main
  const t1 = threads(pid);
  let workerTid;
  if (engineId !== "heed-wasm") {
    let best = -1;
    for (const tid of t1.keys()) {
      const d = delta(t0, t1, tid).run;
      if (tid !== pid && d > best) [best, workerTid] = [d, tid];
    }
    const names = [...t1].map(([tid, t]) => `${tid}:${t.comm}:${(delta(t0, t1, tid).run / 1e6).toFixed(0)}ms`).join(" ");
    console.error(`# ${caseId}@${engineId} pid ${pid}, worker tid ${workerTid}; threads ${names}`);
  }
  const rows = [];
  for (let r = 0; r < REPEATS; r++) {
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(k + round + r) % modes.length];
      rows.push({ round, case: caseId, engine: engineId, ...(await segment(child, pid, workerTid, mode, n, round)) });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
  await child.finish();
  return rows;
}

const modes2t = MODES.filter((m) => m !== "pack0" || packOriginal !== undefined);
console.error(`# sched_vcpu_pack=${packRead}${packNote} load ${load()} rounds ${ROUNDS} modes ${modes2t}`);
for (let round = 0; round < ROUNDS; round++) {
  for (const caseId of CASES) {
    const order = round % 2 === 0 ? ["heed-wasm", "heed-wasm-2t"] : ["heed-wasm-2t", "heed-wasm"];
    for (const engineId of order) await session(caseId, engineId, engineId === "heed-wasm" ? ["free"] : modes2t, round);
  }
}
