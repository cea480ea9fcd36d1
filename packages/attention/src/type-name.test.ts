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

describe("@heed/attention's public surface", () => {
  it("keeps VisionEncoder (built only by VisionTransformer from its checked options) out of the entry; a model's `encoder` is still reachable", () => {
    expect(Object.keys(attention)).not.toContain("VisionEncoder");
    const vit = new attention.VisionTransformer({ imageSize: 4, patchSize: 2, numLayers: 1, numHeads: 1, hiddenDim: 4, mlpDim: 4, numClasses: 2, inChannels: 1 });
    expect(vit.encoder).toBeInstanceOf(Module);
  });
});
