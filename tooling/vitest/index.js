import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Tests run against sources: the "@heed/source" export condition points every
// workspace package at its src/index.ts, so no build is needed before testing.
const source = "@heed/source";
export const base = defineProject({
  resolve: { conditions: [source, "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: [source, "module", "node", "development|production"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // the shared matchers (toBeAllclose)
    setupFiles: [fileURLToPath(new URL("./setup.js", import.meta.url))],
  },
});
export default base;
