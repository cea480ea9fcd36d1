import { concat, Generator, slice, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { cachedLength, createKeyValueCache, offsetCausalMask, selectCacheRows } from "./kv-cache.js";
import { MultiHeadAttention } from "./multi-head-attention.js";
import { createDecoderLayerCache, TransformerDecoderLayer } from "./transformer-decoder-layer.js";

const B = 2, T = 5, S = 4, E = 8, H = 2;

describe("KeyValueCache in MultiHeadAttention.forward", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it(`append: one position at a time equals causal self-attention over the whole sequence (${dtype})`, () => {
      const mha = new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(1), dtype });
      const x = rnd([B, T, E], 2, dtype);
      const full = mha.forward(x, x, x, { isCausal: true, needWeights: false }).output;
      const cache = createKeyValueCache("append");
      const steps = Array.from({ length: T }, (_, t) => {
        const xt = slice(x, [0, t, 0], [B, t + 1, E]);
        return mha.forward(xt, xt, xt, { isCausal: true, needWeights: false, cache }).output;
      });
      expect(cachedLength(cache)).toBe(T);
      expect(cache.key!.shape).toEqual([B, T, E]);
      expect(concat(steps, 1).data).toBeAllclose(full.data);
    });
  }

  it("append: a chunk of new positions after cached ones gets the offset causal mask", () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(1), dtype: "float64" });
    const x = rnd([B, T, E], 3);
    const full = mha.forward(x, x, x, { isCausal: true }).output;
    const cache = createKeyValueCache("append");
    const head = slice(x, [0, 0, 0], [B, 2, E]);
    const tail = slice(x, [0, 2, 0], [B, T, E]);
    const a = mha.forward(head, head, head, { isCausal: true, cache }).output;
    const { output: b, weights } = mha.forward(tail, tail, tail, { isCausal: true, cache, averageAttnWeights: false });
    expect(concat([a, b], 1).data).toBeAllclose(full.data);
    // query i of the chunk (absolute 2 + i) gives no weight to keys after it
    expect(weights!.shape).toEqual([B, H, 3, T]);
    expect(weights!.data[(0 * 3 + 0) * T + 3]).toBe(0);
    expect(weights!.data[(0 * 3 + 2) * T + 4]).toBeGreaterThan(0);
  });

  it("static: projects the memory once and reuses it", () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(4), dtype: "float64" });
    const q = rnd([B, 3, E], 5);
    const memory = rnd([B, S, E], 6);
    const pad = tensor([[false, false, true, true], [false, false, false, false]]);
    const cache = createKeyValueCache("static");
    const first = mha.forward(q, memory, memory, { keyPaddingMask: pad, cache }).output;
    const key = cache.key;
    const again = mha.forward(q, memory, memory, { keyPaddingMask: pad, cache }).output;
    expect(cache.key).toBe(key);
    expect(again.data).toBeAllclose(first.data, { rtol: 0, atol: 0 });
    expect(first.data).toBeAllclose(mha.forward(q, memory, memory, { keyPaddingMask: pad }).output.data);
  });

  it("selectCacheRows reorders and repeats batch rows; bad rows and batch mismatches are errors", () => {
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(1), dtype: "float64" });
    const x = rnd([B, 1, E], 7);
    const cache = createKeyValueCache("append");
    mha.forward(x, x, x, { cache });
    const before = cache.key!;
    selectCacheRows([cache], Int32Array.from([1, 1, 0]));
    expect(cache.key!.shape).toEqual([3, 1, E]);
    expect(slice(cache.key!, [2, 0, 0], [3, 1, E]).data).toBeAllclose(slice(before, [0, 0, 0], [1, 1, E]).data, { rtol: 0, atol: 0 });
    expect(slice(cache.key!, [0, 0, 0], [1, 1, E]).data).toBeAllclose(slice(before, [1, 0, 0], [2, 1, E]).data, { rtol: 0, atol: 0 });
    expect(() => selectCacheRows([cache], Int32Array.from([3]))).toThrow(/selectCacheRows: row 3 is outside the cache's batch of 3/);
    expect(() => mha.forward(x, x, x, { cache })).toThrow(/the cache holds 3 batch rows but key has 2/);
    expect(() => createKeyValueCache("rolling" as "append")).toThrow(/mode must be 'append' or 'static'/);
    const memory = rnd([B, S, E], 8);
    const cross = createKeyValueCache("static");
    mha.forward(x, memory, memory, { cache: cross });
    expect(() => mha.forward(rnd([3, 1, E], 9), rnd([3, S, E], 8), rnd([3, S, E], 8), { cache: cross })).toThrow(/the cache holds 2 batch rows but query has 3/);
  });

  it("offsetCausalMask: query i after P cached positions masks keys beyond P + i", () => {
    expect(Array.from(offsetCausalMask(2, 1).data)).toEqual([0, 0, 1, 0, 0, 0]);
  });
});

describe("TransformerDecoderLayer with a cache equals its full causal forward", () => {
  for (const normFirst of [false, true]) {
    it(`normFirst=${normFirst}`, () => {
      const layer = new TransformerDecoderLayer({ dModel: E, nhead: H, dimFeedforward: 12, normFirst, rng: new Generator(8), dtype: "float64" }).eval();
      const tgt = rnd([B, T, E], 9);
      const memory = rnd([B, S, E], 10);
      const pad = tensor([[false, false, false, true], [false, false, false, false]]);
      const full = layer.forward(tgt, memory, { tgtIsCausal: true, memoryKeyPaddingMask: pad });
      const cache = createDecoderLayerCache();
      const steps = Array.from({ length: T }, (_, t) => layer.forward(slice(tgt, [0, t, 0], [B, t + 1, E]), memory, { tgtIsCausal: true, memoryKeyPaddingMask: pad, cache }));
      expect(concat(steps, 1).data).toBeAllclose(full.data);
      expect(cache.cross.key!.shape).toEqual([B, S, E]);
    });
  }
});
