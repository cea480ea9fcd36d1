import { Module } from "@heed/nn";
import { describe, expect, it } from "vitest";
import * as attention from "./index.js";

describe("module typeName", () => {
  it("is set explicitly, naming an export of that class, on every module class @heed/attention exports", () => {
    const classes = Object.entries(attention as Record<string, unknown>).filter((e): e is [string, typeof Module] => typeof e[1] === "function" && e[1].prototype instanceof Module);
    expect(classes.length).toBeGreaterThan(8);
    for (const [name, cls] of classes) {
      expect(Object.hasOwn(cls, "typeName"), name).toBe(true);
      // An alias (Dense = Linear) shows the name of the class it aliases.
      expect((attention as Record<string, unknown>)[cls.typeName], name).toBe(cls);
    }
  });
});
