/**
 * Heed against numbers computed by PyTorch itself (float64), from fixtures/torch-fixtures.json
 * (regenerate with fixtures/make_torch_fixtures.py). Modules load PyTorch's state dicts by name.
 */
import { readFileSync } from "node:fs";
import { grad } from "@heed/autograd";
import { MultiHeadAttention, scaledDotProductAttention, TransformerDecoderLayer, TransformerEncoderLayer } from "@heed/attention";
import { mul, sum, Tensor, type DType } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";

/** A tensor as the fixture script writes it (infinities and NaN as the strings "Infinity", "-Infinity", "NaN"). */
interface Json { shape: number[]; dtype: "bool" | "float64"; data: (number | boolean | string)[] }
const fixtures = JSON.parse(readFileSync(new URL("./fixtures/torch-fixtures.json", import.meta.url), "utf8")) as {
  sdpa: Record<string, Json | string | number | boolean | null>[];
  mha: Record<string, Json | Record<string, Json> | Record<string, unknown> | string | boolean | null>[];
  layers: Record<string, Json | Record<string, Json> | Record<string, unknown> | string>[];
  fullyMasked: Record<string, Json | Record<string, Json> | Record<string, unknown> | string | boolean | null>;
};

function tensorOf(j: Json): Tensor {
  const dtype: DType = j.dtype;
  const data = dtype === "bool" ? Uint8Array.from(j.data, (x) => (x ? 1 : 0)) : Float64Array.from(j.data, Number);
  return new Tensor(data, j.shape, dtype);
}
const maybe = (j: unknown): Tensor | null => (j === null || j === undefined ? null : tensorOf(j as Json));
const stateOf = (s: unknown): Map<string, Tensor> => new Map(Object.entries(s as Record<string, Json>).map(([k, v]) => [k, tensorOf(v)]));

function expectNear(actual: Tensor, expected: Json, tol = 1e-9): void {
  expect(actual.shape).toEqual(expected.shape);
  expected.data.map(Number).forEach((want, i) => {
    const got = actual.data[i]!;
    if (!(Math.abs(got - want) <= tol * (1 + Math.abs(want)))) throw new Error(`element ${i}: got ${got}, PyTorch ${want}`);
  });
}

describe("scaledDotProductAttention vs PyTorch (values and gradients)", () => {
  for (const c of fixtures.sdpa) {
    for (const implementation of ["composed", "memoryEfficient"] as const) {
      it(`${c.name as string} (${implementation})`, () => {
        const [q, k, v, g] = [c.q, c.k, c.v, c.gradOut].map((x) => tensorOf(x as Json)) as [Tensor, Tensor, Tensor, Tensor];
        const opts = { attnMask: maybe(c.mask), isCausal: c.isCausal as boolean, scale: c.scale as number | null, implementation };
        expectNear(scaledDotProductAttention(q, k, v, opts), c.out as Json);
        const [dq, dk, dv] = grad((q: Tensor, k: Tensor, v: Tensor) => sum(mul(scaledDotProductAttention(q, k, v, opts), g)), [0, 1, 2])(q, k, v);
        expectNear(dq!, c.dq as Json);
        expectNear(dk!, c.dk as Json);
        expectNear(dv!, c.dv as Json);
      });
    }
  }
});

describe("MultiHeadAttention vs torch.nn.MultiheadAttention(batch_first=True) with PyTorch's weights", () => {
  for (const c of fixtures.mha) {
    it(c.name as string, () => {
      const o = c.options as { kdim?: number; vdim?: number; add_bias_kv?: boolean; add_zero_attn?: boolean; bias?: boolean };
      const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, kdim: o.kdim, vdim: o.vdim, addBiasKV: o.add_bias_kv, addZeroAttn: o.add_zero_attn, bias: o.bias, dtype: "float64" });
      m.loadStateDict(stateOf(c.state));
      const query = tensorOf(c.query as Json);
      const [key, value] = c.selfAttn ? [query, query] : [tensorOf(c.key as Json), tensorOf(c.value as Json)];
      const opts = { attnMask: maybe(c.attnMask), keyPaddingMask: maybe(c.keyPaddingMask) };
      const avg = m.forward(query, key, value, opts);
      expectNear(avg.output, c.output as Json);
      expectNear(avg.weights!, c.weights as Json);
      expectNear(m.forward(query, key, value, { ...opts, averageAttnWeights: false }).weights!, c.weightsPerHead as Json);
      expectNear(m.forward(query, key, value, { ...opts, needWeights: false }).output, c.output as Json);
    });
  }
});

describe("a query whose keys are all padded", () => {
  it("PyTorch returns NaN; Heed returns out_proj.bias (attention output 0) and agrees everywhere else", () => {
    const c = fixtures.fullyMasked;
    const m = new MultiHeadAttention({ embedDim: 8, numHeads: 2, dtype: "float64" });
    m.loadStateDict(stateOf(c.state));
    const { output, weights } = m.forward(tensorOf(c.query as Json), tensorOf(c.key as Json), tensorOf(c.value as Json), { keyPaddingMask: tensorOf(c.keyPaddingMask as Json) });
    const torchOut = (c.output as Json).data.map(Number);
    const half = torchOut.length / 2; // batch 0 is fully padded, batch 1 is not
    expect(torchOut.slice(0, half).every(Number.isNaN)).toBe(true);
    for (let i = 0; i < half; i++) expect(output.data[i]).toBeCloseTo(m.outProj.bias!.data[i % 8]!, 12);
    for (let i = half; i < 2 * half; i++) expect(Math.abs(output.data[i]! - torchOut[i]!)).toBeLessThan(1e-9);
    expect(Array.from(weights!.data).every(Number.isFinite)).toBe(true);
  });
});

describe("Transformer layers vs PyTorch's, with PyTorch's weights (eval mode)", () => {
  for (const c of fixtures.layers) {
    it(c.name as string, () => {
      const o = c.options as { norm_first?: boolean; activation?: "relu" | "gelu" };
      const options = { dModel: 8, nhead: 2, dimFeedforward: 12, dropout: 0, normFirst: o.norm_first ?? false, activation: o.activation ?? "relu", dtype: "float64" as const };
      const x = tensorOf(c.x as Json);
      const kpm = tensorOf(c.kpm as Json);
      if (c.kind === "TransformerEncoderLayer") {
        const layer = new TransformerEncoderLayer(options).eval();
        layer.loadStateDict(stateOf(c.state));
        expectNear(layer.forward(x, { srcKeyPaddingMask: kpm }), c.output as Json);
      } else {
        const layer = new TransformerDecoderLayer(options).eval();
        layer.loadStateDict(stateOf(c.state));
        const y = layer.forward(x, tensorOf(c.memory as Json), { tgtMask: tensorOf(c.tgtMask as Json), memoryKeyPaddingMask: tensorOf(c.memoryKpm as Json) });
        expectNear(y, c.output as Json);
        expectNear(layer.forward(x, tensorOf(c.memory as Json), { tgtIsCausal: true, memoryKeyPaddingMask: tensorOf(c.memoryKpm as Json) }), c.output as Json);
      }
    });
  }
});
