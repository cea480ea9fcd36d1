import { base } from "@heed/vitest-config";
import { mergeConfig } from "vitest/config";

// --expose-gc lets the memory test force collections and measure a flat heap.
export default mergeConfig(base, { test: { execArgv: ["--expose-gc"] } });
