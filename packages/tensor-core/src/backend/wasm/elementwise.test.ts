/**
 * The wasm float32 elementwise kernels against the reference kernels: bit-identical results
 * (a float32 +, −, ×, ÷ computed in float64 and rounded equals the float32 operation), at
 * odd sizes, for every handled layout (same shape, scalar either side, bias rows either
 * side) and for the layouts that fall back (other broadcasts, other dtypes).
 */
import { afterAll, describe, expect, it } from "vitest";
import { randn, tensor } from "../../create.js";
import { generator } from "../../random.js";
import { Tensor } from "../../tensor.js";
import { getBackend, kernelFor, referenceKernel, setBackend } from "../registry.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const SPECIALS = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, 3.4e38, -2.5];

/** randn with some special values sprinkled in (NaN, ±Infinity, ±0, subnormal, huge). */
function values(shape: number[], seed: number): Tensor {
  const t = randn(shape, generator(seed));
  const d = t.data as Float32Array;
  for (let i = 0; i < d.length; i += 7) d[i] = SPECIALS[(i / 7 + seed) % SPECIALS.length]!;
  return t;
}

function expectSame(op: "add" | "sub" | "mul" | "div" | "relu" | "reluGrad", inputs: Tensor[]): void {
  const want = referenceKernel(op)(inputs, {});
  const got = kernelFor(op)(inputs, {});
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  const [g, w] = [got.data, want.data];
  for (let i = 0; i < w.length; i++) if (!Object.is(g[i], w[i])) expect.fail(`${op} index ${i}: got ${g[i]}, expected ${w[i]}`);
}

describe("wasm elementwise kernels", () => {
  it("the wasm backend is active", () => expect(setBackend("wasm")).toBe(true));

  const layouts: [string, number[], number[]][] = [
    ["same shape", [3, 17, 5], [3, 17, 5]],
    ["scalar right", [129], []],
    ["scalar left", [], [2, 65]],
    ["[1] right", [7, 3], [1]],
    ["bias rows right", [4, 9, 13], [13]],
    ["bias rows left", [1, 6], [5, 3, 6]],
    ["[1,1,E] bias", [2, 3, 8], [1, 1, 8]],
    ["[L,E] block over [B,L,E]", [3, 5, 7], [5, 7]],
    ["one element", [1], [1]],
    // fall back to the reference
    ["column broadcast", [4, 6], [4, 1]],
    ["outer product", [5, 1], [1, 3]],
  ];
  for (const op of ["add", "sub", "mul", "div"] as const) {
    for (const [name, sa, sb] of layouts) {
      it(`${op}: ${name} ${JSON.stringify(sa)} ∘ ${JSON.stringify(sb)} equals the reference bit for bit`, () => {
        setBackend("wasm");
        expectSame(op, [values(sa, 1), values(sb, 2)]);
      });
    }
    it(`${op}: float64 and int32 operands take the reference kernel`, () => {
      setBackend("wasm");
      expectSame(op, [randn([3, 4], generator(1), "float64"), randn([4], generator(2), "float64")]);
      expectSame(op, [tensor([[1, 2], [3, 4]], undefined, "int32"), tensor([5, 6], undefined, "int32")]);
    });
  }

  it.each([[1], [3], [4], [17], [1000]])("relu and reluGrad at n = %d (NaN, ±0, ±Infinity included)", (n) => {
    setBackend("wasm");
    const x = values([n], 3);
    expectSame("relu", [x]);
    expectSame("reluGrad", [values([n], 4), x]);
  });
});

describe("wasm sum kernel", () => {
  const close = (got: ArrayLike<number>, want: ArrayLike<number>): void => {
    for (let i = 0; i < want.length; i++) {
      const [g, w] = [got[i]!, want[i]!];
      if (!Number.isFinite(w) ? !Object.is(g, w) : !(Math.abs(g - w) <= 1e-6 * Math.abs(w) + 1e-7)) expect.fail(`index ${i}: got ${g}, expected ${w}`);
    }
  };
  it.each([
    [[1280, 128], [0], true], // bias gradient: column sums, bit for bit
    [[7, 3, 5], [0, 1], true],
    [[2, 9, 3], [1], true], // middle axis: outer 2, inner 3
    [[5, 17], [1], false], // row sums (two float64 lanes)
    [[3, 4, 6], [0, 2], false], // non-contiguous axes: permuted first
    [[130], [0], false],
    [[4, 1], [0, 1], false],
  ] as const)("shape %j axes %j equals the reference (bit for bit: %s)", (shape, axes, exact) => {
    setBackend("wasm");
    for (const keepDims of [false, true]) {
      const x = randn([...shape], generator(5)); // finite values: NaN and ±Infinity are checked below
      const attrs = { axes: [...axes], keepDims };
      const want = referenceKernel("sum")([x], attrs);
      const got = kernelFor("sum")([x], attrs);
      expect(got.shape).toEqual(want.shape);
      if (exact) expect([...got.data]).toEqual([...want.data]);
      else close(got.data, want.data);
    }
  });
  it("NaN and ±Infinity propagate as in the reference", () => {
    setBackend("wasm");
    const x = tensor([[1, NaN, 3], [Infinity, 2, -Infinity], [Infinity, 1, 5]], undefined, "float32");
    for (const axes of [[0], [1], [0, 1]]) {
      expect([...kernelFor("sum")([x], { axes, keepDims: false }).data]).toEqual([...referenceKernel("sum")([x], { axes, keepDims: false }).data]);
    }
  });
});
