// Measures `heed train g2p` on the #18 recipe (3+3 layers, ff 512, batch 128) at --threads 1
// and 2, alternating, in wall time AND CPU time, since the machine may be shared: for every run,
// between its 5th and last step, the words/s, the wall ms per step, the process's CPU ms per
// step (all threads) and the main thread's CPU ms per step (read from /proc/<pid>/task/<pid>/stat).
// With data-parallel replicas the main thread is the critical path (it runs replica 0 plus the
// gradient sum, clipping and the optimizer step), so on 2 free cores a step takes about the main
// thread's CPU time. Needs a built CLI (`pnpm build`) and Linux's /proc:
//   node apps/cli/scripts/train-threads-speed.mjs [steps=30] [rounds=2]
// HEED_NODE_ARGS="--single-threaded-gc" passes Node/V8 flags to the trained processes.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const [steps = 30, rounds = 2] = process.argv.slice(2).map(Number);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const recipe = ["--layers", "3", "--ff", "512", "--batch-size", "128", "--warmup", "1000", "--lr", "1e-3"];
const nodeArgs = (process.env.HEED_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
const TICK_MS = 10; // USER_HZ = 100 on Linux

/** utime + stime of one thread, ms (fields 14 and 15 of stat, after the parenthesised name). */
function threadCpuMs(pid, tid) {
  try {
    const f = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function sample(pid) {
  let all = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) all += threadCpuMs(pid, tid);
  return { t: performance.now(), main: threadCpuMs(pid, pid), all };
}

function run(threads) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, cli, "--threads", String(threads), "train", "g2p", ...recipe, "--max-steps", String(steps), "--no-save", "--json", "--eval-size", "1"]);
    let buf = "";
    let err = "";
    let from = null;
    let to = null;
    let seen = 0;
    child.stdout.on("data", (d) => {
      buf += d;
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const e = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (e.event !== "step") continue;
        seen += 1;
        if (seen === 5) from = sample(child.pid);
        if (seen === steps) to = sample(child.pid);
      }
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      if (code !== 0 || from === null || to === null) return reject(new Error(`exit ${code}: ${err.slice(-400)}`));
      const n = steps - 5;
      resolve({ threads, wordsPerSecond: +((n * 128 * 1000) / (to.t - from.t)).toFixed(1), wallMsPerStep: +((to.t - from.t) / n).toFixed(1), cpuMsPerStep: +((to.all - from.all) / n).toFixed(1), mainThreadCpuMsPerStep: +((to.main - from.main) / n).toFixed(1) });
    });
  });
}

for (let r = 0; r < rounds; r++) {
  for (const threads of [1, 2]) {
    const load = loadavg()[0].toFixed(1);
    const res = await run(threads);
    console.log(JSON.stringify({ ...res, loadBefore: +load, loadAfter: +loadavg()[0].toFixed(1) }));
  }
}
