import { describe, expect, it } from "vitest";
import { OP_NAMES, referenceKernel, tensor, type DType } from "../../index.js";
import { binaryDtype } from "./elementwise-binary.js";
import { clampDtype, unaryDtype } from "./elementwise-unary.js";
import { elementwiseKernels } from "./elementwise.js";

const DT: DType[] = ["bool", "int32", "float32", "float64"];

describe("elementwise reference kernels", () => {
  it("cover the 38 elementwise ops of the registry (reluGrad included)", () => {
    const names = Object.keys(elementwiseKernels).sort();
    expect(names).toHaveLength(38);
    for (const n of names) expect(OP_NAMES).toContain(n);
    for (const n of names) expect(referenceKernel(n as "add")).toBe(elementwiseKernels[n as "add"]);
  });

  it("compute the broadcast output themselves", () => {
    const out = elementwiseKernels.add([tensor([[1], [2]]), tensor([10, 20, 30])], {});
    expect(out.shape).toEqual([2, 3]);
    expect(out.toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    const w = elementwiseKernels.where([tensor([true, false]), tensor([[1], [2]], undefined, "int32"), tensor(0)], {});
    expect(w.dtype).toBe("float32");
    expect(w.toArray()).toEqual([[1, 0], [2, 0]]);
  });

  it("store bool arithmetic as 0/1", () => {
    const t = tensor([true, true]);
    const out = elementwiseKernels.add([t, t], {});
    expect(out.dtype).toBe("bool");
    expect(Array.from(out.data)).toEqual([1, 1]);
  });
});

describe("output dtypes", () => {
  it("unary: float math promotes to float32, sign-like ops keep, predicates give bool", () => {
    expect(DT.map((d) => unaryDtype("exp", d))).toEqual(["float32", "float32", "float32", "float64"]);
    expect(DT.map((d) => unaryDtype("abs", d))).toEqual(DT);
    expect(DT.map((d) => unaryDtype("isNaN", d))).toEqual(["bool", "bool", "bool", "bool"]);
  });

  it("binary: promotion table, true division, bool comparisons", () => {
    const table = DT.map((a) => DT.map((b) => binaryDtype("add", a, b)));
    expect(table).toEqual([
      ["bool", "int32", "float32", "float64"],
      ["int32", "int32", "float32", "float64"],
      ["float32", "float32", "float32", "float64"],
      ["float64", "float64", "float64", "float64"],
    ]);
    expect(binaryDtype("div", "int32", "bool")).toBe("float32");
    expect(binaryDtype("div", "float64", "int32")).toBe("float64");
    expect(binaryDtype("less", "float64", "float64")).toBe("bool");
  });

  it("clamp: floats kept, ints stay int32 only with integer bounds", () => {
    expect(clampDtype("float64", { min: 0.5, max: null })).toBe("float64");
    expect(clampDtype("int32", { min: 0, max: null })).toBe("int32");
    expect(clampDtype("bool", { min: null, max: 1 })).toBe("int32");
    expect(clampDtype("int32", { min: 0, max: 2.5 })).toBe("float32");
  });
});
