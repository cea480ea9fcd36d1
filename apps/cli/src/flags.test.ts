import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { TASK_DEFINITIONS } from "./tasks/index.js";
import { checkResumeConflicts, flagsToConfig, readTrainFlags, RESUMABLE_FLAGS, TRAIN_FLAGS, trainOptions } from "./flags.js";

function parse(args: string[]) {
  const cmd = new Command("train").exitOverride();
  for (const o of trainOptions()) cmd.addOption(o);
  cmd.parse(args, { from: "user" });
  return readTrainFlags(cmd.opts());
}

describe("the train flag table", () => {
  it("each key is the attribute commander derives from its flag", () => {
    for (const o of trainOptions()) expect(Object.keys(TRAIN_FLAGS)).toContain(o.attributeName());
    expect(trainOptions()).toHaveLength(Object.keys(TRAIN_FLAGS).length);
  });

  it("parses and range-checks as commander reads the flags", () => {
    expect(parse(["--d-model", "32", "--lr", "1e-3", "--attention", "dot", "--from", "fr", "--save-every", "0"])).toEqual({ dModel: 32, lr: 1e-3, attention: "dot", from: "fr", saveEvery: 0 });
    expect(() => parse(["--heads", "2.5"])).toThrow("invalid value for --heads: '2.5' is not an integer");
    for (const v of ["0x10", "0b11", "0o7", "Infinity", "1e", "--1", ""]) expect(() => parse(["--epochs", v])).toThrow(`invalid value for --epochs: '${v}' is not an integer`); // Number() reads the first three
    expect(parse(["--epochs", "1e2", "--lr", ".5", "--max-minutes", "+2.5"])).toEqual({ epochs: 100, lr: 0.5, maxMinutes: 2.5 });
    expect(() => parse(["--dropout", "1"])).toThrow("invalid value for --dropout: 1 (expected a number >= 0 and < 1)");
    expect(() => parse(["--to", "zz"])).toThrow(/^invalid value for --to: 'zz' \(did you mean 'zh'\?\); locales: bn, /);
    expect(() => parse(["--to", "qq"])).toThrow(/^invalid value for --to: 'qq'; locales: bn, /);
    expect(parse(["--weight-decay", "0.1"])).toEqual({ weightDecay: 0.1 });
    expect(() => parse(["--weight-decay", "-1"])).toThrow("invalid value for --weight-decay: -1 (expected a number >= 0)");
    expect(parse(["--recipe", "long"])).toEqual({ recipe: "long" });
    expect(parse(["--refit", "on"])).toEqual({ refit: true });
    expect(parse(["--refit", "off"])).toEqual({ refit: false });
    expect(() => parse(["--refit", "yes"])).toThrow("invalid value for --refit: 'yes' (expected on or off)");
    expect(() => parse(["--recipe", "lon"])).toThrow("invalid value for --recipe: 'lon' (did you mean 'long'?); recipes: default, long, tied, deep, variants, multilingual, lexicon-tag");
    expect(() => parse(["--recipe", "fast"])).toThrow("invalid value for --recipe: 'fast'; recipes: default, long, tied, deep, variants, multilingual, lexicon-tag");
  });

  it("maps to config fields: --from/--to become locales, --save-every and --recipe (applied by withRecipe) stay out", () => {
    expect(flagsToConfig({ to: "fr", saveEvery: 2, epochs: 3, recipe: "long" })).toEqual({ locales: ["en", "fr"], epochs: 3 });
  });

  it("on --resume only the budget and --save-every may change; an equal value is no conflict", () => {
    expect(RESUMABLE_FLAGS).toEqual(["epochs", "maxMinutes", "maxSteps", "evalSize", "patience", "saveEvery"]);
    const saved = { ...TASK_DEFINITIONS.g2p.defaults, task: "g2p" as const };
    expect(() => checkResumeConflicts({ epochs: 99, maxSteps: 5, saveEvery: 0, dModel: 128, from: "en" }, saved, "runs/x/last")).not.toThrow();
    expect(() => checkResumeConflicts({ heads: 8 }, saved, "runs/x/last")).toThrow(/^--heads 8 conflicts with the run being resumed: runs\/x\/last was trained with --heads 4 /);
    expect(() => checkResumeConflicts({ to: "fr" }, saved, "d")).toThrow(/^--to fr conflicts .* with --to zh /);
    // a checkpoint without a recipe was trained with the defaults: --recipe default is no conflict
    expect(() => checkResumeConflicts({ recipe: "default" }, saved, "d")).not.toThrow();
    expect(() => checkResumeConflicts({ recipe: "long" }, saved, "d")).toThrow(/^--recipe long conflicts .* with --recipe default /);
    expect(() => checkResumeConflicts({ recipe: "long" }, { ...saved, recipe: "long" }, "d")).not.toThrow();
    // --refit: a checkpoint without it was trained with it off
    expect(() => checkResumeConflicts({ refit: false }, saved, "d")).not.toThrow();
    expect(() => checkResumeConflicts({ refit: true }, saved, "d")).toThrow(/^--refit on conflicts .* with --refit off /);
    expect(() => checkResumeConflicts({ refit: true }, { ...saved, refit: true }, "d")).not.toThrow();
  });
});
