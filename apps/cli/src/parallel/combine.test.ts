import { Generator, Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import type { TrainConfig } from "../config.js";
import type { TaskRuntime } from "../task.js";
import { g2pTask } from "../tasks/g2p.js";
import { translateTask } from "../tasks/translate.js";
import { combineGrads, combineLosses } from "./combine.js";
import { dropoutSeed, Replica } from "./replica.js";

const TINY = { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 32, warmup: 10 };

function replicaOf(params: Tensor[], rank = 0): Replica {
  const rt = { model: { parameters: () => params } } as unknown as TaskRuntime;
  return new Replica(rt, new Generator(0), { seed: 1 } as TrainConfig, rank);
}

const grads = (r: Replica) => r.params.map((p) => (p.grad === null ? null : Array.from(p.grad.data)));

describe("combineGrads", () => {
  it("sums the replicas' gradients weighted by their loss terms, in rank order; a parameter no replica touched keeps no gradient", () => {
    const a = new Tensor(new Float32Array(2), [2]);
    const b = new Tensor(new Float32Array(1), [1]);
    const c = new Tensor(new Float32Array(1), [1]);
    const main = replicaOf([a, b, c]);
    a.grad = new Tensor(Float32Array.of(1, 2), [2]);
    // the other replica: a [10, 20], b [4]; c on neither
    const other = { grads: Float32Array.of(10, 20, 4, 0), has: Uint8Array.of(1, 1, 0) };
    combineGrads(main, [3, 1], [other]);
    expect(grads(main)).toEqual([[(3 * 1 + 10) / 4, (3 * 2 + 20) / 4], [1], null]);
    expect(combineLosses([3, 1, 0], [2, 6, Number.NaN])).toBe(3); // an empty part adds nothing
  });

  it("re-seeds dropout from (seed, step) on replica 0, as one-replica training always did, and from (seed, step, rank) on the others", () => {
    expect(dropoutSeed({ seed: 7 }, 3).getState()).toEqual(new Generator("7:dropout:3").getState());
    expect(dropoutSeed({ seed: 7 }, 3, 1).getState()).toEqual(new Generator("7:dropout:3:1").getState());
  });
});

describe.each([
  ["g2p", g2pTask],
  ["translate", translateTask],
] as const)("%s: two replicas on halves of a batch = one replica on the batch", (name, def) => {
  it("the same loss and gradients, up to float summation order (dropout 0, label smoothing 0.1)", { timeout: 60_000 }, () => {
    const config: TrainConfig = { ...def.defaults, ...TINY, task: name, dropout: 0 };
    const rt = def.create(config, new Generator(config.seed));
    const batch = rt.batches(1)[0]!;
    const whole = new Replica(rt, new Generator(0), config, 0);
    const loss = whole.compute({ batch, weight: 1 }, 0);
    const want = grads(whole);

    const parts = rt.splitBatch!(batch, 2);
    expect(parts.flatMap((p) => p.batch as number[]).sort((x, y) => x - y)).toEqual((batch as number[]).slice().sort((x, y) => x - y));
    const rt2 = def.create(config, new Generator(config.seed + 1)); // other initial weights, replaced by the trainer's
    const main = new Replica(rt, new Generator(0), config, 0);
    const other = new Replica(rt2, new Generator(0), config, 1);
    const flat = new Float32Array(main.layout.total);
    main.writeParams(flat);
    other.readParams(flat);
    const own = main.compute(parts[0]!, 0);
    const theirs = other.compute(parts[1]!, 0);
    const shared = { grads: new Float32Array(main.layout.total), has: new Uint8Array(main.params.length) };
    other.writeGrads(shared.grads, shared.has);
    combineGrads(main, parts.map((p) => p.weight), [shared]);
    expect(combineLosses(parts.map((p) => p.weight), [own, theirs])).toBeCloseTo(loss, 5);
    const got = grads(main);
    got.forEach((g, i) => {
      expect(g === null, `parameter ${i}`).toBe(want[i] === null);
      g?.forEach((x, k) => expect(Math.abs(x - want[i]![k]!), `parameter ${i}[${k}]`).toBeLessThanOrEqual(1e-6 + 1e-4 * Math.abs(want[i]![k]!)));
    });
  });
});
