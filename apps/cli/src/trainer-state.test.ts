import { describe, expect, it } from "vitest";
import { trainConfigSchema } from "./config.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import { freshTrainerState, trainerStateSchema } from "./trainer-state.js";

describe("checkpoint schemas", () => {
  it("trainer.json round-trips through JSON, NaN losses included (JSON stores them as null)", () => {
    const state = { ...freshTrainerState(), step: 3, firstLoss: 4.2, schedule: { lastEpoch: 3, baseLrs: [0.002] } };
    state.history.push({ epoch: 1, step: 3, loss: Number.NaN, testLoss: 1.5, validLoss: 1.6, metrics: { per: 0.5 }, seconds: 2 });
    const back = trainerStateSchema.parse(JSON.parse(JSON.stringify(state)));
    expect(back).toEqual(state);
    expect(back.history[0]!.loss).toBeNaN();
  });

  it("reads trainer.json from before firstLoss and schedule were saved", () => {
    const { firstLoss: _f, schedule: _s, ...older } = freshTrainerState();
    expect(trainerStateSchema.parse(older)).toEqual(freshTrainerState());
  });

  it("names the field that is wrong", () => {
    const r = trainerStateSchema.safeParse({ ...freshTrainerState(), step: -1 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(["step"]);
    const c = trainConfigSchema.safeParse({ ...TASK_DEFINITIONS.g2p.defaults, task: "g2p", dModel: "wide" });
    expect(c.error!.issues[0]!.path).toEqual(["dModel"]);
    expect(c.error!.issues[0]!.message).toBe("Invalid input: expected number, received string");
  });

  it("accepts every task's defaults", () => {
    for (const [task, def] of Object.entries(TASK_DEFINITIONS)) expect(trainConfigSchema.safeParse({ ...def.defaults, task }).success, task).toBe(true);
  });
});
