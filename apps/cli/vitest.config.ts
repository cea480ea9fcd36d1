import { base } from "@heed/vitest-config";
import { mergeConfig } from "vitest/config";

// The end-to-end tests spawn the built CLI and train real (small) models: on a loaded 2-core
// machine one can take minutes, so they get a longer limit than the 60 s library tests.
export default mergeConfig(base, { test: { testTimeout: 600_000 } });
