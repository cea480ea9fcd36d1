import type { TaskName } from "../config.js";
import type { TaskDefinition } from "../task.js";
import { classifyTask } from "./classify.js";
import { digitsTask } from "./digits.js";
import { forecastTask } from "./forecast.js";
import { g2pTask } from "./g2p.js";
import { seedTask } from "./seed.js";
import { translateTask } from "./translate.js";

/** Every task of `heed train`, by name. */
export const TASK_DEFINITIONS: Record<TaskName, TaskDefinition> = {
  g2p: g2pTask,
  translate: translateTask,
  classify: classifyTask,
  forecast: forecastTask,
  seed: seedTask,
  digits: digitsTask,
};
