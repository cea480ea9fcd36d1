import { it } from "vitest";
import { Adam } from "@heed/nn";
import { Generator } from "@heed/tensor-core";
import { translateTask } from "./translate.js";

it("prof", () => {
  const config = { ...translateTask.defaults, task: "translate" as const };
  const rt = translateTask.create(config, new Generator(1));
  const opt = new Adam(rt.model.parameters(), { lr: 1e-3 });
  const bs = rt.batches(1);
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const loss = rt.loss(bs[i]);
    const t1 = performance.now();
    loss.backward();
    const t2 = performance.now();
    opt.step(); opt.zeroGrad();
    const t3 = performance.now();
    console.log(`fwd ${(t1 - t0).toFixed(0)} bwd ${(t2 - t1).toFixed(0)} opt ${(t3 - t2).toFixed(0)} ms`);
  }
}, 600_000);
