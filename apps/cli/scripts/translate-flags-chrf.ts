// chrF of `heed predict --json` translations on one split, for all phrases, the `flag: …` ones and the rest.
//   pnpm --filter heed exec node --conditions=@heed/source --import tsx scripts/translate-flags-chrf.ts <valid|test> sources
//     prints the split's source phrases (the ones the model reads), one a line
//   … | heed predict --json <checkpoint> | … scripts/translate-flags-chrf.ts <valid|test>
import { readFileSync } from "node:fs";
import { loadEmojiPairs } from "@heed/datasets/node";
import { chrf } from "../src/tasks/common-chrf.js";

const split = process.argv[2];
if (split !== "valid" && split !== "test") throw new Error(`translate-flags-chrf: split must be 'valid' or 'test', got '${split}'`);
const fits = (t: string) => Array.from(t).length <= 64;
const pairs = loadEmojiPairs("en", "zh")[split].filter((p) => fits(p.source) && fits(p.target));
if (process.argv[3] === "sources") {
  console.log(pairs.map((p) => p.source).join("\n"));
} else {
  const out = new Map(readFileSync(0, "utf8").trim().split("\n").map((l) => {
    const j = JSON.parse(l) as { input: string; output: string };
    return [j.input, j.output];
  }));
  const part = (keep: (s: string) => boolean) => {
    const ps = pairs.filter((p) => keep(p.source));
    return `chrF ${chrf(ps.map((p) => out.get(p.source) ?? ""), ps.map((p) => p.target)).toFixed(1)} (${ps.length})`;
  };
  const flag = (s: string) => s.startsWith("flag:");
  console.log(`${split}: all ${part(() => true)}, flags ${part(flag)}, the rest ${part((s) => !flag(s))}`);
}
