import { describe, expect, it } from "vitest";
import type { TrainConfig } from "./config.js";
import { flagsToConfig, TRAIN_FLAGS, type TrainFlagValues } from "./flags.js";
import { withRecipe } from "./recipe.js";
import { checkFlagsApply } from "./task-flags.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";

/** The config `heed train <task> <flags>` builds, and the check it runs on the flags given. */
function check(task: TrainConfig["task"], given: TrainFlagValues): void {
  checkFlagsApply(given, withRecipe(TASK_DEFINITIONS[task], given.recipe, flagsToConfig(given)));
}

describe("checkFlagsApply: a flag that would be ignored is a usage error", () => {
  it.each([
    ["seed", { beam: 3 }, "--beam", "beam search decodes g2p and translate only"],
    ["classify", { beam: 1 }, "--beam", "beam search decodes g2p and translate only"],
    ["seed", { from: "fr" }, "--from", "the locales are translate's"],
    ["g2p", { to: "de" }, "--to", "the locales are translate's"],
    ["forecast", { ff: 128 }, "--ff", "its attention layers have no feed-forward block"],
    ["forecast", { labelSmoothing: 0.1 }, "--label-smoothing", "it is a regression (MSE), without labels to smooth"],
    ["seed", { evalSize: 5 }, "--eval-size", "it always evaluates its whole 100-row test split"],
    ["seed", { dModel: 32 }, "--d-model", "its --attention feature model has no token width, layers or dropout (give --attention dot, scaled, multihead or residual)"],
    ["seed", { heads: 4 }, "--heads", "its --attention feature model has no heads (give --attention multihead or residual)"],
    ["classify", { attention: "dot", heads: 4 }, "--heads", "--attention dot is single-head"],
  ] as const)("%s %o", (task, given, flag, why) => {
    const text = `train: ${flag} does not apply to the '${task}' task: ${why}`;
    expect(() => check(task, given as TrainFlagValues)).toThrow(text);
    expect(() => check(task, given as TrainFlagValues)).toThrow(expect.objectContaining({ name: "UsageError" }));
  });

  it.each([
    ["g2p", { beam: 3, ff: 64, labelSmoothing: 0.2, evalSize: 10, heads: 2 }],
    ["translate", { from: "en", to: "de", beam: 2 }],
    ["digits", { ff: 64, heads: 2, labelSmoothing: 0 }],
    ["seed", { attention: "multihead", dModel: 32, heads: 4, layers: 2, dropout: 0.1 }],
    ["classify", { attention: "residual", heads: 4, dropout: 0.2, evalSize: 10 }],
  ] as const)("every flag given changes a %s run %o", (task, given) => {
    expect(() => check(task, given as TrainFlagValues)).not.toThrow();
  });

  it("covers every train flag on every task without throwing anything but a UsageError", () => {
    for (const task of Object.keys(TASK_DEFINITIONS) as TrainConfig["task"][]) {
      for (const k of Object.keys(TRAIN_FLAGS) as (keyof typeof TRAIN_FLAGS)[]) {
        const config = { ...TASK_DEFINITIONS[task].defaults, task };
        try {
          checkFlagsApply({ [k]: (config as Record<string, unknown>)[k] ?? "x" }, config);
        } catch (e) {
          expect((e as Error).name).toBe("UsageError");
        }
      }
    }
  });
});
