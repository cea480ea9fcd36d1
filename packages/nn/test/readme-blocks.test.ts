// Every ```ts block of this package's README, run as written (its own imports included).
import { runReadmeExamples } from "@heed/vitest-config/readme";
import { expect } from "vitest";

runReadmeExamples(new URL("../README.md", import.meta.url), new URL("../", import.meta.url), {
  check: (_, mod) => {
    if ("names" in mod) expect(mod.names).toEqual(["in_proj_weight", "mask", "out_proj.weight", "out_proj.bias"]);
  },
});
