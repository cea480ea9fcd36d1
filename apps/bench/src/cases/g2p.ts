/**
 * End-to-end: g2p training throughput of the CLI's model (apps/cli, package `heed`): the
 * Transformer encoder–decoder on CMUdict, one Adam step per batch (betas 0.9/0.98, eps 1e-9,
 * as `heed train`), dropout 0 so every engine computes the same thing. Heed only (no peer
 * has this model); the Heed engines are checked against each other on three steps' losses.
 * Reported as words/s = batch size / median step time.
 */
import { MissingApi, need, type HeedCtx, type HeedModule, type Tensor } from "../heed/api.js";
import { toFloat32 } from "../heed/prepared.js";
import type { BenchCase, Prepared } from "../types.js";

/** The parts of the CLI's programmatic API this case uses (`heed`'s TASK_DEFINITIONS). */
interface G2PRuntime {
  readonly model: HeedModule;
  batches(epoch: number): unknown[];
  batchSize(batch: unknown): number;
  loss(batch: unknown): Tensor;
}
interface CliApi {
  TASK_DEFINITIONS: Record<string, { defaults: Record<string, unknown>; create(config: Record<string, unknown>, rng: unknown): G2PRuntime }>;
}

export const G2P_SIZES = {
  full: { batchSize: 128, layers: 3, dModel: 128, ff: 512, batches: 8 },
  quick: { batchSize: 8, layers: 1, dModel: 16, ff: 32, batches: 2 },
} as const;

/** The CLI package is optional: without it (not a dependency yet) the case is n/a. */
async function loadCli(): Promise<CliApi> {
  const specifier: string = "heed";
  try {
    const mod = (await import(specifier)) as Partial<CliApi>;
    if (mod.TASK_DEFINITIONS?.g2p === undefined) throw new Error("no TASK_DEFINITIONS.g2p");
    return mod as CliApi;
  } catch (err) {
    throw new MissingApi([`package 'heed' (apps/cli) for the g2p model: ${err instanceof Error ? err.message.split("\n")[0]! : String(err)}`]);
  }
}

type Size = (typeof G2P_SIZES)["full"] | (typeof G2P_SIZES)["quick"];

async function g2pTrainer(ctx: HeedCtx, size: Size): Promise<() => number> {
  const cli = await loadCli();
  const { Adam } = need(ctx, ["Adam"]);
  const makeGenerator = ctx.exports.get("generator");
  if (typeof makeGenerator !== "function") throw new MissingApi(["generator"]);
  const def = cli.TASK_DEFINITIONS.g2p!;
  const config = { ...def.defaults, task: "g2p", seed: 1, dropout: 0, batchSize: size.batchSize, layers: size.layers, dModel: size.dModel, ff: size.ff };
  const runtime = def.create(config, (makeGenerator as (seed: number) => unknown)(1));
  const batches = runtime.batches(0).filter((b) => runtime.batchSize(b) === size.batchSize).slice(0, size.batches);
  if (batches.length === 0) throw new Error(`g2p: no full batch of ${size.batchSize} words`);
  const opt = new Adam(runtime.model.parameters(), { lr: 1e-3, betas: [0.9, 0.98], eps: 1e-9 });
  let next = 0;
  return () => {
    opt.zeroGrad();
    const loss = runtime.loss(batches[next++ % batches.length]);
    loss.backward();
    opt.step();
    return toFloat32(loss)[0]!;
  };
}

export function g2pCases(quick: boolean): BenchCase<Size>[] {
  const size = quick ? G2P_SIZES.quick : G2P_SIZES.full;
  return [
    {
      id: "e2e/g2p-train",
      family: "e2e",
      title: `g2p training step (CLI model: ${size.layers}+${size.layers} layers, E=${size.dModel}, F=${size.ff}, batch ${size.batchSize} words)`,
      flops: 0,
      flopFormula: "n/a (throughput in words/s)",
      wordsPerIteration: size.batchSize,
      tolerance: { rtol: 2e-4, atol: 2e-5 },
      inputs: () => size,
      impls: {
        heed: async (ctx, s): Promise<Prepared> => {
          const step = await g2pTrainer(ctx, s);
          return {
            run: () => void step(),
            check: async () => {
              const fresh = await g2pTrainer(ctx, s);
              return [Float32Array.from({ length: 3 }, () => fresh())];
            },
          };
        },
      },
    },
  ];
}
