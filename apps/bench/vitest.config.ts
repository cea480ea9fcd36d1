import { base } from "@heed/vitest-config";
import { mergeConfig } from "vitest/config";

// tfjs-core's gradient registrations are ESM with extensionless imports: let Vite transform
// them (Node cannot load them directly). Its CJS entry stays external.
export default mergeConfig(base, {
  test: { server: { deps: { inline: [/tfjs-core\/dist\/(?!tf-core)/] } } },
});
