import { readFileSync } from "node:fs";
import { mseLoss } from "@heed/nn";
import { describe, expect, it } from "vitest";

describe("README training example", () => {
  it("is the code in test/readme-example.ts", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("```ts\n", readme.indexOf("## Training example")) + 6;
    const block = readme.slice(start, readme.indexOf("```", start));
    const script = readFileSync(new URL("./readme-example.ts", import.meta.url), "utf8");
    expect(script.slice(0, script.indexOf("// ---- end of the README block"))).toBe(block);
  });

  it("runs, trains, and restores the model from its checkpoint", async () => {
    const { model, restored, x, y, weights, optimizerFile } = await import("./readme-example.js");
    expect(mseLoss(model.forward(x), y).item()).toBeLessThan(0.05);
    expect([...restored.forward(x).data]).toEqual([...model.forward(x).data]);
    expect(weights.length).toBeGreaterThan(129 * 4); // header + 129 float32 values
    expect(optimizerFile.length).toBeGreaterThan(2 * 129 * 4); // exp_avg and exp_avg_sq
  });
});
