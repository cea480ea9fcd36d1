// Decoding choices compared on one translate checkpoint (RECIPES.md, translate's seventh round):
// chrF and exact match on a split, user CPU seconds per phrase. One JSON line per decoding.
// Choose on the validation split; the test split only reports.
//   pnpm --filter heed exec node --conditions=@heed/source --import tsx scripts/translate-decoders.ts <checkpoint> <valid|test> SPEC ...
// SPEC: greedy | mbr:N,k,eps[,evidence] (evidence: samples, pool, retrieved) | knn:K,lambda,T (greedy
// with kNN-MT) | knnmbr:K,lambda,T (default MBR sizes over the kNN-MT model).
// Needs built wasm kernels (`pnpm turbo run build --filter=heed...`); one thread.
import { noGrad } from "@heed/autograd";
import { cpuUsage } from "node:process";
import { loadavg } from "node:os";
import { restore } from "../src/restore.js";
import { DEFAULT_MBR, type MbrEvidence, type MbrOptions } from "../src/tasks/translate-mbr.js";
import type { KnnOptions } from "../src/tasks/translate-knn.js";

const [path, split = "valid", ...specs] = process.argv.slice(2);
if (path === undefined || (split !== "valid" && split !== "test") || specs.length === 0) throw new Error("usage: translate-decoders.ts <checkpoint> <valid|test> SPEC ...");
const { rt } = restore(path);
const setKnn = (rt as unknown as { setKnn(o: KnnOptions | null): void }).setKnn.bind(rt);
for (const spec of specs) {
  const [kind, args = ""] = spec.split(":");
  const a = args.split(",");
  let mbr: MbrOptions | null = null;
  let knn: KnnOptions | null = null;
  if (kind === "mbr") mbr = { samples: Number(a[0]), neighbours: Number(a[1]), epsilon: Number(a[2]), ...(a[3] === undefined ? {} : { evidence: a[3] as MbrEvidence }) };
  else if (kind === "knn" || kind === "knnmbr") {
    knn = { k: Number(a[0]), lambda: Number(a[1]), temperature: Number(a[2]) };
    if (kind === "knnmbr") mbr = DEFAULT_MBR;
  } else if (kind !== "greedy") throw new Error(`translate-decoders: unknown SPEC '${spec}'`);
  rt.setMbr!(mbr);
  setKnn(knn);
  const cpu0 = cpuUsage();
  const r = noGrad(() => rt.evaluate(split, 0));
  const user = cpuUsage(cpu0).user / 1e6;
  const phrases = r.metrics.phrases!;
  process.stdout.write(JSON.stringify({ checkpoint: path, split, spec, chrf: r.metrics.chrf, exact: r.metrics.exact, nearestChrf: r.metrics.nearestChrf, phrases, userSeconds: user, userSecondsPerPhrase: user / phrases, load: loadavg()[0] }) + "\n");
}
