// Every ```ts block of this package's README, run as written (its own imports included).
import { runReadmeExamples } from "@heed/vitest-config/readme";

runReadmeExamples(new URL("../README.md", import.meta.url), new URL("../", import.meta.url));
