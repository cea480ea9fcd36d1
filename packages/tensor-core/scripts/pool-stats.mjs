// Where the time of one wasm kernel call goes on 2 threads, from threadPoolStats (run `pnpm build` first):
//   node scripts/pool-stats.mjs [--shape=4,8,256,64] [--calls=60] [--threads=2] [--root=/other/checkout/packages/tensor-core]
// The attention forward (q = k = v shape [B, H, L, D], as the bench's sdpa/fwd cases) called back to back;
// prints medians per call: wall, CPU (process), the caller's time outside the pool (copies in and
// out), its share of the tasks, its wait for the worker, the worker's time in tasks and its start
// lag, and how many calls the worker joined.
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const root = args.root ?? new URL("..", import.meta.url).pathname;
const core = await import(`${root}/dist/index.js`);
const { setNumThreads, threadPoolStats } = await import(`${root}/dist/node/index.js`);
const threads = Number(args.threads ?? 2);
const [B, H, L, D] = (args.shape ?? "4,8,256,64").split(",").map(Number);
const calls = Number(args.calls ?? 60);
core.setBackend("wasm");
if (setNumThreads(threads) !== threads) throw new Error(`pool-stats: setNumThreads(${threads}) failed: ${core.wasmInfo().note}`);
const batch = B * H;
const n = batch * L * D;
const values = (seed) => {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    a[i] = ((s >>> 8) / 2 ** 24 - 0.5) * 2;
  }
  return a;
};
const offsets = () => Int32Array.from({ length: batch }, (_, b) => b * L * D);
const p = { batch, L, S: L, E: D, Ev: D, q: values(1), k: values(2), v: values(3), qOffsets: offsets(), kOffsets: offsets(), vOffsets: offsets(), mask: null, scale: 1 / Math.sqrt(D), causal: false, dropout: null };
const forward = core.fusedKernelFor("attentionForward");
for (let i = 0; i < 10; i++) forward(p);
const rows = [];
for (let i = 0; i < calls; i++) {
  threadPoolStats({ reset: true });
  const cpu = process.cpuUsage();
  const t = performance.now();
  forward(p);
  const wall = performance.now() - t;
  const c = process.cpuUsage(cpu);
  const s = threadPoolStats();
  rows.push({ wall, cpu: (c.user + c.system) / 1000, serial: wall - s.callerTaskMs - s.callerWaitMs, callerTask: s.callerTaskMs, callerWait: s.callerWaitMs, workerTask: s.workerTaskMs, workerStart: s.workerStartMs, joined: s.joins });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out = { shape: [B, H, L, D], threads, calls };
for (const k of Object.keys(rows[0])) out[k] = k === "joined" ? rows.reduce((a, r) => a + r[k], 0) : +median(rows.map((r) => r[k])).toFixed(3);
console.log(JSON.stringify(out));
process.exit(0);
