/**
 * A trained g2p model for the decoding case: the default `heed train g2p` model size, trained
 * for a fixed number of steps with the CLI's default settings (batch 64, lr 2e-3, 300 warm-up
 * steps, dropout and label smoothing 0.1, clipping 1.0) on the first batches of epoch 0 of the
 * seeded sampler. Training is deterministic but takes minutes, so the full size is done
 * once and its weights are cached in apps/bench/.cache (delete the directory to retrain); every
 * engine then decodes with the same weights.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HeedCtx } from "../../heed/api.js";
import { g2pData, type G2PData } from "./data.js";
import { G2P_RECIPE, g2pApi, g2pModel, g2pSteps } from "./train.js";

export interface TrainedSize {
  layers: number;
  dModel: number;
  ff: number;
  /** Training steps of 64 words (0: the seeded initial weights). */
  trainSteps: number;
  /** Cache the weights in apps/bench/.cache. */
  cache: boolean;
}

/** `heed train g2p`'s defaults that differ from the #18 recipe's. */
const CLI_DEFAULTS = { ...G2P_RECIPE, lr: 2e-3, warmup: 300, batchSize: 64 } as const;

/** apps/bench/.cache: the nearest directory above this module holding a package.json. */
function cacheDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, ".cache");
}

interface Saved {
  names: string[];
  lengths: number[];
  losses: number[];
}

/** The model of `size` (eval mode) and the test data; trained (or read from the cache) as described above. */
export async function trainedG2P(ctx: HeedCtx, size: TrainedSize): Promise<{ model: ReturnType<typeof g2pModel>; data: G2PData; losses: number[] }> {
  const api = g2pApi(ctx);
  const data = await g2pData(CLI_DEFAULTS.batchSize, Math.max(size.trainSteps, 1), CLI_DEFAULTS.seed);
  const rng = new api.Generator(CLI_DEFAULTS.seed);
  const model = g2pModel(api, data, size, rng);
  const params = [...model.stateDict()];
  const base = path.join(cacheDir(), `g2p-decode-${size.layers}x${size.dModel}x${size.ff}-${size.trainSteps}steps`);
  let losses: number[] = [];
  if (size.cache && existsSync(`${base}.json`) && existsSync(`${base}.bin`)) {
    const saved = JSON.parse(readFileSync(`${base}.json`, "utf8")) as Saved;
    const bytes = readFileSync(`${base}.bin`);
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const ok = saved.names.length === params.length && params.every(([n, t], i) => saved.names[i] === n && saved.lengths[i] === t.size);
    if (!ok || all.length !== params.reduce((s, [, t]) => s + t.size, 0)) throw new Error(`e2e/g2p-decode: ${base}.json does not match the model's parameters; delete ${path.dirname(base)} to retrain`);
    let at = 0;
    for (const [, t] of params) {
      (t.data as Float32Array).set(all.subarray(at, at + t.size));
      at += t.size;
    }
    losses = saved.losses;
  } else if (size.trainSteps > 0) {
    const step = g2pSteps(api, data, model, rng, CLI_DEFAULTS);
    losses = Array.from({ length: size.trainSteps }, () => step());
    if (size.cache) {
      mkdirSync(path.dirname(base), { recursive: true });
      const all = new Float32Array(params.reduce((s, [, t]) => s + t.size, 0));
      let at = 0;
      for (const [, t] of params) {
        all.set(t.data, at);
        at += t.size;
      }
      const saved: Saved = { names: params.map(([n]) => n), lengths: params.map(([, t]) => t.size), losses };
      // weights first, then the header that marks them complete; each written to a temporary file and renamed
      writeFileSync(`${base}.bin.tmp`, new Uint8Array(all.buffer));
      renameSync(`${base}.bin.tmp`, `${base}.bin`);
      writeFileSync(`${base}.json.tmp`, JSON.stringify(saved));
      renameSync(`${base}.json.tmp`, `${base}.json`);
    }
  }
  model.eval();
  return { model, data, losses };
}
