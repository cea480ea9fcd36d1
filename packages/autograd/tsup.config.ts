import { heedBuild } from "@heed/tsup-config";

export default heedBuild({ index: "src/index.ts" });
