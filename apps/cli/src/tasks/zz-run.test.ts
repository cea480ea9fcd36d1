import { it } from "vitest";
import { train } from "../train.js";
import type { TaskDefinition } from "../task.js";
import type { TrainConfig } from "../config.js";

const which = process.env.TASK ?? "seed";
const over = JSON.parse(process.env.OVER ?? "{}") as Partial<TrainConfig>;
it("run", async () => {
  const mod = (await import(`./${which}.js`)) as Record<string, TaskDefinition>;
  const def = Object.values(mod).find((v) => typeof v === "object" && v !== null && "create" in v)!;
  const config = { ...def.defaults, ...over, task: def.name } as TrainConfig;
  const t0 = Date.now();
  const reporter = { emit: (e: { event: string; line?: string; metrics?: unknown; parameters?: number }) => {
    if (e.event === "epoch") console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${e.line}`);
    if (e.event === "start") console.log("params", e.parameters);
    if (e.event === "done") console.log("done", JSON.stringify(e.metrics));
  }, close: () => {} };
  let rt: ReturnType<TaskDefinition["create"]> | undefined;
  const wrapped: TaskDefinition = { ...def, create: (c, g, v) => (rt = def.create(c, g, v)) };
  train(wrapped, config, { out: null, resume: null, reporter: reporter as never, stopSignal: { stop: false } });
  const inputs = (process.env.INPUTS ?? "").split("|").filter((x) => x !== "");
  if (inputs.length > 0) { rt!.model.eval(); const out = rt!.predict(inputs); inputs.forEach((x, i) => console.log(`${x} => ${out[i]}`)); }
}, 900_000);
