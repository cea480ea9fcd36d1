import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { withRecipe } from "./recipe.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import { trainConfigSchema } from "./config.js";

const digits = TASK_DEFINITIONS.digits;

describe("--recipe presets", () => {
  it("default (or none) is the task's defaults with the flags over them, and is not recorded", () => {
    expect(withRecipe(digits, undefined, { epochs: 3 })).toEqual({ ...digits.defaults, epochs: 3, task: "digits" });
    expect(withRecipe(digits, "default", {})).toEqual({ ...digits.defaults, task: "digits" });
    expect(withRecipe(TASK_DEFINITIONS.g2p, "default", {})).toEqual({ ...TASK_DEFINITIONS.g2p.defaults, task: "g2p" });
  });

  it("digits long: the preset over the defaults, flags given still win, the name saved in the config", () => {
    const c = withRecipe(digits, "long", {});
    expect(c).toEqual({ ...digits.defaults, ...digits.recipes!.long, task: "digits", recipe: "long" });
    expect(c.batchSize).toBe(64);
    expect(c.epochs).toBeGreaterThan(digits.defaults.epochs);
    expect(withRecipe(digits, "long", { epochs: 2, seed: 3 })).toMatchObject({ epochs: 2, seed: 3, batchSize: 64, recipe: "long" });
    expect(trainConfigSchema.safeParse(c).success).toBe(true);
    expect(trainConfigSchema.safeParse({ ...c, recipe: "short" }).success).toBe(false);
  });

  it("a task without the recipe is a usage error listing the ones it has", () => {
    expect(() => withRecipe(TASK_DEFINITIONS.g2p, "long", {})).toThrow(new UsageError("invalid value for --recipe: task 'g2p' has no recipe 'long' (its recipes: default)"));
    for (const task of ["classify", "forecast", "seed"] as const) expect(() => withRecipe(TASK_DEFINITIONS[task], "long", {})).toThrow(UsageError);
    expect(withRecipe(TASK_DEFINITIONS.translate, "long", {})).toMatchObject({ task: "translate", recipe: "long", maxMinutes: 10 }); // translate long: an ensemble
  });
});
