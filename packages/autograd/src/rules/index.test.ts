import { OP_NAMES } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { nonDifferentiable, rules } from "./index.js";

describe("rule table", () => {
  it("has an entry for every tensor-core op, and declares exactly these non-differentiable", () => {
    for (const op of OP_NAMES) expect(rules[op], op).toBeDefined();
    const nonDiff = OP_NAMES.filter((op) => rules[op] === nonDifferentiable).sort();
    expect(nonDiff).toEqual([
      "argmax", "argmin", "equal", "floor", "greater", "greaterEqual", "isFinite", "isNaN", "less", "lessEqual",
      "logicalAnd", "logicalNot", "logicalOr", "logicalXor", "notEqual", "sign",
    ]);
  });
});
