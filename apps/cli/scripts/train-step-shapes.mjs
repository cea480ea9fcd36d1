// Where `heed train g2p`'s step time goes by batch length: runs the CLI's training step in process
// (the g2p task's runtime, the step of parallel/replica.ts inside releaseActivations, clipping 1.0,
// Adam, the warm-up schedule; the #18 recipe: 3+3 layers, ff 512, batch 128, one thread) over
//   cli    — the batches `heed train` takes (epoch 1 of the seeded bucket sampler, in order), or
//   bench8 — the bench's e2e/g2p-train batches (epoch 0's first 8 full batches, in a loop),
// and prints, per batch shape (longest source x longest decoder input), the steps and the median CPU
// milliseconds of this thread (Linux /proc schedstat, so other processes' load changes little), then
// the mean and median over steps 41+ and the page faults of this thread per step. Needs a build.
//   node apps/cli/scripts/train-step-shapes.mjs [cli|bench8] [steps=200]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { releaseActivations } from "@heed/autograd";
import { CharTokenizer, WordTokenizer } from "@heed/data";
import { loadCmudict } from "@heed/datasets/node";
import { Adam, LambdaLR, clipGradNorm, warmupInverseSqrt } from "@heed/nn";
import { Generator, setBackend } from "@heed/tensor-core";
import { setNumThreads } from "@heed/tensor-core/node";
import { TASK_DEFINITIONS } from "heed";

const [mode = "cli", stepsArg = "200"] = process.argv.slice(2);
const steps = Number(stepsArg);
if (!["cli", "bench8"].includes(mode) || !(steps > 40)) throw new Error("usage: train-step-shapes.mjs [cli|bench8] [steps > 40]");
if (!setBackend("wasm")) throw new Error("no WebAssembly SIMD here");
setNumThreads(1);

const def = TASK_DEFINITIONS.g2p;
const config = { ...def.defaults, layers: 3, ff: 512, batchSize: 128, warmup: 1000, lr: 1e-3, evalSize: 1, seed: 1 };
const rng = new Generator(config.seed);
const rt = def.create(config, rng);
const params = rt.model.parameters();
const optimizer = new Adam(params, { lr: config.lr, betas: [0.9, 0.98], eps: 1e-9 });
const scheduler = new LambdaLR(optimizer, warmupInverseSqrt(config.warmup));
const bench = rt.batches(0).filter((b) => b.length === config.batchSize).slice(0, 8);
const batches = mode === "cli" ? rt.batches(1) : Array.from({ length: steps }, (_, i) => bench[i % 8]);

// batch shapes: the longest word and the longest phoneme list + 1 (bos) of each batch
const { train } = loadCmudict();
const src = CharTokenizer.fromCorpus(train.map((p) => p.word));
const tgt = WordTokenizer.fromCorpus(train.map((p) => p.phonemes.join(" ")));
const lengths = train.map((p) => [src.encode(p.word).length, tgt.vocab.encode(p.phonemes).length + 1]);
const shape = (batch) => batch.reduce(([S, T], i) => [Math.max(S, lengths[i][0]), Math.max(T, lengths[i][1])], [0, 0]).join("x");

function thread() {
  const ms = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  return { ms, faults: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[7]) };
}

const load = loadavg()[0];
rt.model.train();
const per = [];
for (let s = 0; s < steps; s++) {
  const a = thread();
  rng.setState(new Generator(`${config.seed}:dropout:${s}`).getState());
  releaseActivations(() => {
    const loss = rt.loss(batches[s]);
    loss.item();
    loss.backward();
  }, { replaceGradients: params });
  clipGradNorm(params, 1.0);
  optimizer.step();
  scheduler.step();
  const b = thread();
  per.push({ ms: b.ms - a.ms, faults: b.faults - a.faults, shape: shape(batches[s]) });
  await new Promise((r) => setImmediate(r)); // as the CLI's loop yields between steps
}

const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
const mean = (xs) => xs.reduce((p, q) => p + q, 0) / xs.length;
const late = per.slice(40);
const byShape = new Map();
for (const p of late) byShape.set(p.shape, [...(byShape.get(p.shape) ?? []), p.ms]);
console.log(`${mode}, ${steps} steps, load average ${load.toFixed(1)} -> ${loadavg()[0].toFixed(1)}; trainer-thread CPU ms per step by batch shape (steps 41+):`);
for (const [k, v] of [...byShape].sort((p, q) => parseInt(p[0]) - parseInt(q[0]) || parseInt(p[0].split("x")[1]) - parseInt(q[0].split("x")[1]))) console.log(`  ${k.padEnd(6)} ${String(v.length).padStart(3)} steps, median ${median(v).toFixed(0)}`);
const tokens = mean(late.map((p) => p.shape.split("x").map(Number).reduce((x, y) => x + y)));
console.log(`steps 41+: mean ${mean(late.map((p) => p.ms)).toFixed(1)} ms, median ${median(late.map((p) => p.ms)).toFixed(1)} ms, mean S + T ${tokens.toFixed(2)}, page faults ${mean(late.map((p) => p.faults)).toFixed(0)} per step`);
