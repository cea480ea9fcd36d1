import "@heed/autograd";
import { zeros, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import * as nn from "../index.js";
import { Linear } from "../layers/linear.js";
import { Module } from "./module.js";

/** A module whose class name was mangled, as a minifier does (`class $t`), but which sets its typeName. */
class Block extends Module {
  static override readonly typeName: string = "Block";
  readonly proj: Linear;
  constructor() {
    super();
    this.proj = this.registerModule("proj", new Linear(2, 2));
  }
  forward(x: Tensor): Tensor {
    return this.proj.forward(x);
  }
}
Object.defineProperty(Block, "name", { value: "$t" });

describe("Module.typeName (names that survive minification)", () => {
  it("is set explicitly, naming an export of that class, on every module class @heed/nn exports", () => {
    const classes = Object.entries(nn as Record<string, unknown>).filter((e): e is [string, typeof Module] => typeof e[1] === "function" && e[1].prototype instanceof Module);
    expect(classes.length).toBeGreaterThan(10);
    for (const [name, cls] of classes) {
      expect(Object.hasOwn(cls, "typeName"), name).toBe(true);
      // An alias (Dense = Linear) shows the name of the class it aliases.
      expect((nn as Record<string, unknown>)[cls.typeName], name).toBe(cls);
    }
  });

  it("is what summary(), toString() and loadStateDict errors print, not the mangled constructor name", () => {
    const b = new Block();
    expect(Block.name).toBe("$t");
    expect(b.typeName).toBe("Block");
    expect(b.summary().split("\n")[2]).toMatch(/^\(root\)\s+Block\s/);
    expect(b.summary()).toContain("Linear(in_features=2, out_features=2, bias=true)");
    expect(b.toString().startsWith("Block(\n")).toBe(true);
    expect(() => b.loadStateDict({ "proj.weight": zeros([3, 3]) })).toThrow(/cannot load into Block:/);
    expect(() => b.registerBuffer("proj", null)).toThrow(/^Block\.registerBuffer:/);
  });

  it("falls back to constructor.name for a user subclass that does not set its own typeName", () => {
    class MyLinear extends Linear {}
    const m = new MyLinear(2, 3);
    expect(m.typeName).toBe("MyLinear");
    expect(m.toString()).toBe("MyLinear(in_features=2, out_features=3, bias=true)");
    expect(new Linear(2, 3).typeName).toBe("Linear");
  });
});
