import type { TaskName } from "../config.js";
import type { TaskDefinition } from "../task.js";
import { g2pTask } from "./g2p.js";

/** Every task of `heed train`, by name. */
export const TASK_DEFINITIONS: Record<TaskName, TaskDefinition> = {
  g2p: g2pTask,
  translate: g2pTask,
  classify: g2pTask,
  forecast: g2pTask,
  seed: g2pTask,
};
