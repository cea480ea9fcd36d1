import { base } from "@heed/vitest-config";
import { mergeConfig } from "vitest/config";

// tfjs-core's gradient registrations are ESM with extensionless imports: let Vite transform
// them (Node cannot load them directly). Its CJS entry stays external.
// The quick run goes through every case and engine once: on a loaded 2-core machine it can take
// longer than the 60 s library default.
export default mergeConfig(base, {
  test: { testTimeout: 600_000, server: { deps: { inline: [/tfjs-core\/dist\/(?!tf-core)/] } } },
});
