// Quick GFLOP/s check of the wasm backend (run `pnpm build` first; short: the machine is shared).
//   node scripts/bench-wasm.mjs [threads...]      e.g. node scripts/bench-wasm.mjs 1 2
//   BENCH_ONLY=g2p node scripts/bench-wasm.mjs 1  only the matmul cases whose name contains "g2p"
import { generator, getBackend, matmul, randn, setBackend, softmax } from "../dist/index.js";
import { setNumThreads } from "../dist/node/index.js";

const rng = generator(0);
const threadCounts = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1, 2];
const only = process.env.BENCH_ONLY;

/**
 * Median wall ms of `fn` over enough runs for ~0.3 s (after warm-up), and the median CPU ms
 * of the process (all threads): on a loaded machine wall time includes time the OS gave to
 * other processes, CPU time does not.
 */
function measure(fn) {
  for (let i = 0; i < 3; i++) fn();
  const t0 = performance.now();
  fn();
  const once = Math.max(performance.now() - t0, 0.01);
  const reps = Math.min(50, Math.max(3, Math.round(300 / once)));
  const wall = [];
  const cpu = [];
  for (let i = 0; i < reps; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  const median = (xs) => xs.sort((x, y) => x - y)[reps >> 1];
  return { wall: median(wall), cpu: median(cpu), best: Math.min(...wall) };
}
const time = (fn) => measure(fn).wall;

const cases = [
  ...[128, 256, 512, 1024].map((n) => ({ name: `${n}²`, a: [n, n], b: [n, n], flops: 2 * n ** 3 })),
  { name: "1024² transA", a: [1024, 1024], b: [1024, 1024], transA: true, flops: 2 * 1024 ** 3 },
  { name: "1024² transB", a: [1024, 1024], b: [1024, 1024], transB: true, flops: 2 * 1024 ** 3 },
  { name: "batched 8×256²", a: [8, 256, 256], b: [8, 256, 256], flops: 8 * 2 * 256 ** 3 },
  { name: "attn (4,8,256,64) QKᵀ", a: [32, 256, 64], b: [32, 256, 64], transB: true, flops: 32 * 2 * 256 * 256 * 64 },
  { name: "attn (4,8,256,64) PV", a: [32, 256, 256], b: [32, 256, 64], flops: 32 * 2 * 256 * 256 * 64 },
  { name: "attn (1,8,1024,64) QKᵀ", a: [8, 1024, 64], b: [8, 1024, 64], transB: true, flops: 8 * 2 * 1024 * 1024 * 64 },
  { name: "attn (1,8,1024,64) PV", a: [8, 1024, 1024], b: [8, 1024, 64], flops: 8 * 2 * 1024 * 1024 * 64 },
  { name: "linear [16·64,128]×[128,512]", a: [16, 64, 128], b: [128, 512], flops: 2 * 1024 * 128 * 512 },
  // the g2p transformer's training step (128 words × 10 tokens, d_model 128, 4 heads, ff 512):
  // linear layers y = x·Wᵀ, their gradients dx = G·W and dW = Gᵀ·x, per-head attention products
  { name: "g2p x·Wᵀ [1280,128]·[128,128]ᵀ", a: [1280, 128], b: [128, 128], transB: true, flops: 2 * 1280 * 128 * 128 },
  { name: "g2p x·Wᵀ [1280,128]·[512,128]ᵀ", a: [1280, 128], b: [512, 128], transB: true, flops: 2 * 1280 * 128 * 512 },
  { name: "g2p G·W [1280,512]·[512,128]", a: [1280, 512], b: [512, 128], flops: 2 * 1280 * 512 * 128 },
  { name: "g2p Gᵀ·x [1280,128]ᵀ·[1280,128]", a: [1280, 128], b: [1280, 128], transA: true, flops: 2 * 128 * 1280 * 128 },
  { name: "g2p Gᵀ·x [1280,512]ᵀ·[1280,128]", a: [1280, 512], b: [1280, 128], transA: true, flops: 2 * 512 * 1280 * 128 },
  { name: "g2p 512×[10,32]·[10,32]ᵀ", a: [128, 4, 10, 32], b: [128, 4, 10, 32], transB: true, flops: 512 * 2 * 10 * 10 * 32 },
  { name: "g2p 512×[10,10]·[10,32]", a: [128, 4, 10, 10], b: [128, 4, 10, 32], flops: 512 * 2 * 10 * 10 * 32 },
  { name: "g2p 512×[10,10]ᵀ·[10,32]", a: [128, 4, 10, 10], b: [128, 4, 10, 32], transA: true, flops: 512 * 2 * 10 * 10 * 32 },
];

setBackend("wasm");
for (const threads of threadCounts) {
  const used = setNumThreads(threads);
  console.log(`\nbackend ${getBackend()}, threads ${used}`);
  for (const c of cases.filter((c) => only === undefined || c.name.includes(only))) {
    const [a, b] = [randn(c.a, rng), randn(c.b, rng)];
    const { wall, cpu, best } = measure(() => matmul(a, b, { transA: c.transA ?? false, transB: c.transB ?? false }));
    const gflops = (ms) => (c.flops / ms / 1e6).toFixed(1).padStart(6);
    // cpu / used: the wall time the run would take if each thread had its core to itself
    console.log(`matmul ${c.name.padEnd(34)} ${wall.toFixed(3).padStart(8)} ms ${gflops(wall)} GFLOP/s wall (best ${gflops(best)}) ${gflops(cpu / used)} GFLOP/s by CPU time`);
  }
  if (only !== undefined) continue;
  const x = randn([32 * 256, 256], rng);
  console.log(`softmax [8192,256]               ${time(() => softmax(x)).toFixed(3).padStart(8)} ms`);
}
if (only !== undefined) process.exit(0);
setBackend("js");
const x = randn([32 * 256, 256], rng);
console.log(`\njs softmax [8192,256]            ${time(() => softmax(x)).toFixed(3).padStart(8)} ms`);
const a = randn([256, 256], rng);
console.log(`js matmul 256²                    ${(2 * 256 ** 3 / time(() => matmul(a, a)) / 1e6).toFixed(1)} GFLOP/s`);

// Fused attention forward (+ backward) at the shapes, and a small transformer's batch
// (g2p: 128 words × 4 heads = 512 problems of L = S = 13, E = 32, key padding or causal, dropout 0.1).
import { fusedKernelFor, setBackend as use } from "../dist/index.js";
function attnProblem(batch, L, S, E, extra = {}) {
  const arr = (n) => randn([n], rng).data;
  const offs = (size) => Int32Array.from({ length: batch }, (_, b) => b * size);
  return { batch, L, S, E, Ev: E, q: arr(batch * L * E), k: arr(batch * S * E), v: arr(batch * S * E), qOffsets: offs(L * E), kOffsets: offs(S * E), vOffsets: offs(S * E), mask: null, scale: 1 / Math.sqrt(E), causal: false, dropout: null, ...extra };
}
function g2pProblem(words, heads, L, E, causal) {
  const lengths = Array.from({ length: words }, (_, w) => 3 + ((w * 7) % (L - 2)));
  const data = Uint8Array.from({ length: words * L }, (_, x) => (x % L < lengths[Math.floor(x / L)] ? 1 : 0));
  const offsets = Int32Array.from({ length: words * heads }, (_, b) => Math.floor(b / heads) * L);
  const mask = causal ? null : { kind: "bool", data, offsets, strideL: 0, strideS: 1 };
  return attnProblem(words * heads, L, L, E, { mask, causal, dropout: { p: 0.1, seed: 12345 } });
}
const attnCases = [
  ...[[4, 8, 256, 64], [1, 8, 1024, 64]].map(([B, H, L, D]) => [`(${B},${H},${L},${D})`, attnProblem(B * H, L, L, D)]),
  ["g2p 512×(13,13,32) key padding, dropout", g2pProblem(128, 4, 13, 32, false)],
  ["g2p 512×(13,13,32) causal, dropout", g2pProblem(128, 4, 13, 32, true)],
];
for (const [name, p] of attnCases) {
  for (const threads of threadCounts) {
    use("wasm");
    setNumThreads(threads);
    const fwd = fusedKernelFor("attentionForward");
    const { out, logsumexp } = fwd(p);
    const args = { ...p, out, logsumexp, gradOut: out, wantMaskGrad: false };
    const bwd = fusedKernelFor("attentionBackward");
    const [f, g] = [measure(() => fwd(p)), measure(() => bwd(args))];
    const show = (m) => `${m.wall.toFixed(2)} ms (best ${m.best.toFixed(2)}, CPU ${m.cpu.toFixed(2)})`;
    console.log(`wasm attention ${name} threads ${threads}: forward ${show(f)}, backward ${show(g)}`);
  }
}
