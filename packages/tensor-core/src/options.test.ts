import { describe, expect, it } from "vitest";
import {
  Generator, arange, cast, checkOptions, describeValue, expand, eye, full, fullLike, gelu, linspace, matmul, ones, onesLike, oneHot, permute,
  rand, randn, repeat, reshape, scalar, std, sum, tensor, tile, variance, zeros, zerosLike, type OptionKeys, type Tensor,
} from "./index.js";

const x = (): Tensor => tensor([[1, 2, 3], [4, 5, 6]]);

/** Every public tensor-core function that takes an options object, called with `opts`. */
const OPTION_TAKERS: [name: string, call: (opts: object) => Tensor, valid: object][] = [
  ["matmul", (o) => matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]), o), { transB: true }],
  ["variance", (o) => variance(x(), 1, o), { correction: 0 }],
  ["std", (o) => std(x(), 1, o), { keepDims: true }],
  ["gelu", (o) => gelu(x(), o), { approximate: "tanh" }],
  ["zeros", (o) => zeros([2], o), { dtype: "int32" }],
  ["ones", (o) => ones([2], o), { dtype: "float64" }],
  ["full", (o) => full([2], 3, o), { dtype: "int32" }],
  ["zerosLike", (o) => zerosLike(x(), o), { dtype: "bool" }],
  ["onesLike", (o) => onesLike(x(), o), { dtype: "int32" }],
  ["fullLike", (o) => fullLike(x(), 2, o), { dtype: "int32" }],
  ["tensor", (o) => tensor([1, 2], o), { dtype: "int32" }],
  ["scalar", (o) => scalar(2, o), { dtype: "int32" }],
  ["arange", (o) => arange(0, 3, 1, o), { dtype: "float32" }],
  ["linspace", (o) => linspace(0, 1, 3, o), { dtype: "float64" }],
  ["eye", (o) => eye(2, 2, o), { dtype: "int32" }],
  ["randn", (o) => randn([2], new Generator(1), o), { dtype: "float64" }],
  ["rand", (o) => rand([2], new Generator(1), 0, 1, o), { dtype: "float64" }],
  ["oneHot", (o) => oneHot(tensor([0, 1], undefined, "int32"), 2, o), { dtype: "int32" }],
];

describe("options objects", () => {
  it.each([...OPTION_TAKERS, ["cast", (o: object) => cast(x(), o as { dtype: "int32" }), { dtype: "int32" }] as const])("%s rejects an unknown key, naming the function, the key and the accepted keys", (name, call, valid) => {
    const accepted = Object.keys(valid)[0]!;
    expect(() => call({ ...valid, bogus: 1 })).toThrow(new RegExp(`^${name}.*: unknown option 'bogus' \\(accepted options: .*${accepted}`));
  });

  it.each(OPTION_TAKERS)("%s treats an explicitly undefined option as its default", (_name, call, valid) => {
    const undef = Object.fromEntries(Object.keys(valid).map((k) => [k, undefined]));
    expect(call(undef).toArray()).toEqual(call({}).toArray());
    expect(call(undef).dtype).toBe(call({}).dtype);
  });

  it("hints the camelCase name of a snake_case PyTorch key", () => {
    const keys: OptionKeys<{ batchFirst?: boolean }> = { batchFirst: true };
    expect(() => checkOptions<{ batchFirst?: boolean }>("f", { batch_first: true } as never, keys)).toThrow("f: unknown option 'batch_first' (accepted options: batchFirst) — did you mean 'batchFirst'?");
    expect(() => checkOptions<{ batchFirst?: boolean }>("f", [1] as never, keys)).toThrow("f: expected an options object, got an array [1]");
    expect(checkOptions("f", { batchFirst: undefined }, keys)).toEqual({});
  });
});

describe("argument kinds", () => {
  it("accepts PyTorch's keyword dtype: ones([2], { dtype })", () => {
    const t = ones([2], { dtype: "float64" });
    expect(t.dtype).toBe("float64");
    expect(t.toArray()).toEqual([1, 1]);
    expect(() => ones([2], { dtype: "int64" as never })).toThrow("ones: unknown dtype 'int64' (expected one of float32, float64, int32, bool, or { dtype })");
    expect(() => zeros([2], 3 as never)).toThrow("zeros: expected a dtype, got number 3");
    expect(cast(x(), { dtype: "int32" }).dtype).toBe("int32");
    expect(tensor([1, 2], "int32").dtype).toBe("int32");
    expect(tensor([[1, 2]], { dtype: "float64" }).shape).toEqual([1, 2]);
    expect(() => cast(x(), { dtype: undefined })).toThrow("cast: a dtype is required");
  });

  it("accepts separate integers for shapes and permutations, like x.reshape(2, 3)", () => {
    const a = arange(6);
    expect(reshape(a, 2, 3).shape).toEqual([2, 3]);
    expect(a.reshape(3, -1).shape).toEqual([3, 2]);
    expect(permute(zeros([2, 3, 4]), 2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(zeros([2, 3, 4]).permute(0, 2, 1).shape).toEqual([2, 4, 3]);
    expect(expand(tensor([[1], [2]]), 2, 3).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(repeat(tensor([1, 2]), 2, 1).shape).toEqual([2, 2]);
    expect(() => reshape(a, "2" as never)).toThrow("reshape: expected 'shape' as an array of integers or as separate integers (like [2, 3] or 2, 3), got string '2'");
    expect(() => reshape(a, [2, 3], 4)).toThrow("reshape: expected 'shape' as an array");
    expect(tile(a, 2).shape).toEqual([12]);
    expect(() => tile(a, null as never)).toThrow("tile: expected 'reps' as an array");
  });

  it("refuses an object where axes are expected, saying the positional form", () => {
    expect(() => x().sum({ dim: 1 } as never)).toThrow(
      "sum: expected axes as an integer, an array of integers or null (all axes), got an object {dim} (axes are positional: sum(x, 1) or x.sum(1), not { dim: 1 })",
    );
    expect(() => sum(x(), 1, { keepDims: true } as never)).toThrow("sum: expected 'keepDims' to be a boolean, got an object {keepDims}");
    expect(() => x().mean({ dim: 0 } as never)).toThrow("mean: expected axes");
    expect(() => x().max("1" as never)).toThrow("max: expected axes as an integer, an array of integers or null (all axes), got string '1'");
    expect(() => x().softmax({ dim: -1 } as never)).toThrow("softmax: expected 'axis' to be an integer, got an object {dim}");
    expect(() => x().argmax({ dim: 1 } as never)).toThrow("argmax: expected 'axis' to be an integer, got an object {dim}");
    expect(() => x().squeeze({ dim: 0 } as never)).toThrow("squeeze: expected axes");
    expect(() => x().transpose({ dim0: 0 } as never)).toThrow("transpose: expected 'dim0' to be an integer");
  });

  it("refuses numbers where a shape array is expected, and a missing generator", () => {
    expect(() => zeros(2 as never, 3 as never)).toThrow("zeros: expected 'shape' to be an array of non-negative integers like [2, 3], got number 2");
    expect(() => full(2 as never, 1)).toThrow("full: expected 'shape' to be an array");
    expect(() => randn([2], undefined as never)).toThrow("randn: expected a seeded Generator (new Generator(seed)) as 'rng', got undefined");
    expect(() => zerosLike([1, 2] as never)).toThrow("zerosLike: expected a Tensor, got an array [1, 2]");
  });
});

describe("describeValue: class names", () => {
  it("names Heed's classes by their explicit typeName, which a minifier cannot rename", () => {
    const own = Object.getOwnPropertyDescriptor(Generator, "name")!;
    Object.defineProperty(Generator, "name", { value: "e", configurable: true });
    try {
      expect(describeValue(new Generator(1))).toBe("a Generator");
    } finally {
      Object.defineProperty(Generator, "name", own);
    }
    expect(describeValue(zeros([2]))).toBe("a Tensor");
  });

  it("names other classes by their constructor.name, and plain objects by their keys", () => {
    class Point {
      x = 1;
    }
    expect(describeValue(new Point())).toBe("a Point");
    expect(describeValue(new Map())).toBe("a Map");
    expect(describeValue({ a: 1 })).toBe("an object {a}");
    expect(describeValue(Object.create(null) as object)).toBe("an empty object {}");
  });
});
