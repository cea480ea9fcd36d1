import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { sumToShape } from "./unbroadcast.js";

describe("sumToShape", () => {
  const g = tensor([[[1, 2, 3], [4, 5, 6]]]); // [1,2,3]

  it("returns the same tensor when shapes match", () => {
    expect(sumToShape(g, [1, 2, 3], "t")).toBe(g);
  });

  it("sums over added leading dims and stretched size-1 dims", () => {
    expect(sumToShape(g, [3], "t").toArray()).toEqual([5, 7, 9]);
    expect(sumToShape(g, [2, 1], "t").toArray()).toEqual([[6], [15]]);
    expect(sumToShape(g, [], "t").toArray()).toEqual(21);
    expect(sumToShape(g, [1, 1, 3], "t").toArray()).toEqual([[[5, 7, 9]]]);
  });

  it("rejects shapes that broadcasting could not have produced", () => {
    expect(() => sumToShape(g, [2], "mul")).toThrow("mul: gradient of shape [1,2,3] cannot be reduced to the input shape [2]");
    expect(() => sumToShape(g, [1, 1, 1, 3], "mul")).toThrow("mul: gradient of shape [1,2,3] cannot be reduced to the input shape [1,1,1,3]");
  });
});
