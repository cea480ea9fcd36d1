import { describe, expect, it } from "vitest";
import { full, ones, rand, randn, randperm, tensor, zeros } from "./create.js";
import { Generator } from "./random.js";

describe("creation functions reject bad input with one clear error", () => {
  it("tensor: a string (or other non-number) element throws instead of becoming NaN", () => {
    expect(() => tensor(["a"] as unknown as number[])).toThrow("tensor: expected numbers or booleans, got string 'a' at flat position 0 (shape [1])");
    expect(() => tensor([[1, 2], [3, null]] as unknown as number[][])).toThrow("got null at flat position 3 (shape [2,2])");
    expect(() => tensor([1, undefined] as unknown as number[], [2])).toThrow("got undefined at flat position 1");
    expect(Array.from(tensor([[1, 2], [3, NaN]]).data)).toEqual([1, 2, 3, NaN]); // NaN is a number: kept
    expect(Array.from(tensor([true, false]).data)).toEqual([1, 0]);
  });

  it("rand: low > high throws (torch's uniform_(from, to) does too); low = high is a constant", () => {
    const g = new Generator(0);
    expect(() => rand([2], g, 1, 0)).toThrow("rand: expected low <= high (as torch's uniform_(from, to)), got low=1, high=0");
    expect(Array.from(rand([2], g, 3, 3).data)).toEqual([3, 3]);
  });

  it("a shape with more elements than a typed array holds names the function (was a RangeError from deep inside)", () => {
    expect(() => ones([1e6, 1e6])).toThrow("ones: shape [1000000,1000000] has 1,000,000,000,000 elements, more than a tensor can hold (4,294,967,296, the largest typed array)");
    expect(() => zeros([2 ** 16, 2 ** 16, 2])).toThrow(/^zeros: shape \[65536,65536,2\] has 8,589,934,592 elements/);
  });

  it("randn / rand with an int32 or bool dtype throw (randn gave truncated normals [1, 0, …] silently; torch refuses too)", () => {
    expect(() => randn([2], new Generator(1), "int32")).toThrow("randn: dtype must be float32 or float64 (samples of a continuous distribution), got 'int32'");
    expect(() => rand([2], new Generator(1), 0, 10, { dtype: "int32" })).toThrow("rand: dtype must be float32 or float64 (samples of a continuous distribution), got 'int32'; for integers use randint(low, high, shape, rng)");
    expect(randn([2], new Generator(1), "float64").dtype).toBe("float64");
  });

  it("int32 values that do not fit (3e9 wrapped to -1294967296, NaN became 0) throw, as torch.tensor does; fractions are cut toward 0 as in PyTorch", () => {
    expect(() => tensor([1, 3e9], "int32")).toThrow("tensor: value 3000000000 at flat position 1 does not fit int32 (integers in [-2147483648, 2147483647]; fractions are cut toward 0, as in PyTorch) (shape [2])");
    expect(() => tensor([Number.NaN], "int32")).toThrow(/^tensor: value NaN at flat position 0 does not fit int32/);
    expect(() => full([2], -3e9, "int32")).toThrow("full: value -3000000000 does not fit int32 (integers in [-2147483648, 2147483647]) (shape [2])");
    expect(Array.from(tensor([1.7, -1.7, 2147483647, -2147483648], "int32").data)).toEqual([1, -1, 2147483647, -2147483648]);
  });

  it("randperm: a negative n names randperm (not a typed-array RangeError)", () => {
    expect(() => randperm(-1, new Generator(0))).toThrow("randperm: expected 'n' to be a non-negative integer, got -1");
    expect(randperm(0, new Generator(0)).shape).toEqual([0]);
  });
});
