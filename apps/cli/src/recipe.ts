import type { RecipeName, TrainConfig } from "./config.js";
import { UsageError } from "./errors.js";
import type { TaskDefinition } from "./task.js";

/**
 * A new run's config: the task's defaults, then the `--recipe` preset's values, then the flags
 * given (`overrides`), which win. `default` (or no `--recipe`) is the defaults alone and is not
 * recorded; any other recipe is saved in config.json as `recipe`.
 */
export function withRecipe(def: TaskDefinition, recipe: RecipeName | undefined, overrides: Partial<TrainConfig>): TrainConfig {
  if (recipe === undefined || recipe === "default") return { ...def.defaults, ...overrides, task: def.name };
  const preset = def.recipes?.[recipe];
  if (preset === undefined) {
    const known = ["default", ...Object.keys(def.recipes ?? {})].join(", ");
    throw new UsageError(`invalid value for --recipe: task '${def.name}' has no recipe '${recipe}' (its recipes: ${known})`);
  }
  return { ...def.defaults, ...preset, ...overrides, task: def.name, recipe };
}
