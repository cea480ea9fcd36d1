import { defineProject } from "vitest/config";
import { base } from "./index.js";

export default defineProject({ ...base, test: { ...base.test, include: ["*.test.js"] } });
