import { noGrad } from "@heed/autograd";
import { Seq2SeqTransformer } from "@heed/attention";
import { seq2seqCollate } from "@heed/data";
import { Generator, logSoftmax } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { buildDatastore, checkKnnOptions, KnnDatastore, KnnDecoder } from "./translate-knn.js";

describe("KnnDatastore.distribution", () => {
  // four 2-d keys: token 3 at (0, 0) and (0, 1), token 5 at (10, 0), token 7 at (0, 10)
  const store = new KnnDatastore(Float32Array.from([0, 0, 0, 1, 10, 0, 0, 10]), Int32Array.from([3, 3, 5, 7]), 2);

  it("weighs the k nearest keys by softmax(−d / T) and adds them up per token (known values)", () => {
    const p = store.distribution(Float32Array.from([0, 0]), 8, { k: 2, lambda: 1, temperature: 1 });
    expect(p[3]).toBeCloseTo(1, 6); // both neighbours say 3
    const q = store.distribution(Float32Array.from([5, 0]), 8, { k: 3, lambda: 1, temperature: 25 });
    // d: (0,0) 25, (0,1) 26, (10,0) 25 → weights e^−1, e^−1.04, e^−1
    const z = 2 * Math.exp(-1) + Math.exp(-26 / 25);
    expect(q[5]).toBeCloseTo(Math.exp(-1) / z, 5);
    expect(q[3]).toBeCloseTo((Math.exp(-1) + Math.exp(-26 / 25)) / z, 5);
    expect(q[7]).toBe(0);
  });

  it("gives one distribution per query row and caps k at the datastore's size", () => {
    const p = store.distribution(Float32Array.from([0, 10, 10, 0]), 8, { k: 1, lambda: 1, temperature: 1 });
    expect(p[7]).toBeCloseTo(1, 6);
    expect(p[8 + 5]).toBeCloseTo(1, 6);
    const all = store.distribution(Float32Array.from([0, 0]), 8, { k: 99, lambda: 1, temperature: 1e9 });
    expect(all[3]! + all[5]! + all[7]!).toBeCloseTo(1, 6);
    expect(all[3]).toBeCloseTo(0.5, 5);
  });

  it("rejects keys and values of different counts, and bad options with a usage error", () => {
    expect(() => new KnnDatastore(new Float32Array(3), new Int32Array(2), 2)).toThrow(/2 × 2 numbers/);
    expect(() => checkKnnOptions({ k: 0, lambda: 0.5, temperature: 10 })).toThrow(UsageError);
    expect(() => checkKnnOptions({ k: 8, lambda: 1.5, temperature: 10 })).toThrow(/lambda must be a number in \[0, 1\], got 1.5/);
    expect(() => checkKnnOptions({ k: 8, lambda: 0.5, temperature: 0 })).toThrow(/temperature/);
  });
});

describe("buildDatastore and KnnDecoder", () => {
  const model = new Seq2SeqTransformer({ srcVocab: 9, tgtVocab: 8, dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0, maxLen: 16, rng: new Generator(3) });
  model.eval();
  const collate = seq2seqCollate({ padId: 0, bosId: 1, eosId: 2 });
  const pairs = [{ src: [4, 5], tgt: [3, 6, 7] }, { src: [6], tgt: [5] }];

  it("holds one (state, next token) pair per target position, eos included, padding left out", () => {
    const store = noGrad(() => buildDatastore(model, [collate(pairs)]));
    expect(store.size).toBe(4 + 2);
    expect(Array.from(store.values)).toEqual([3, 6, 7, 2, 5, 2]);
    expect(store.dim).toBe(8);
  });

  it("with λ 0 decodes as the model; with λ 1 a training target's own prefix points at its next token", () => {
    const store = noGrad(() => buildDatastore(model, [collate(pairs)]));
    const b = collate([pairs[0]!]);
    noGrad(() => {
      const memory = model.encode(b.src, b.srcPaddingMask);
      const options = { memoryKeyPaddingMask: b.srcPaddingMask };
      const plain = logSoftmax(model.decode(b.tgtIn, memory, options), -1).data;
      const mixed0 = new KnnDecoder(model, store, { k: 2, lambda: 0, temperature: 10 }).decode(b.tgtIn, memory, options).data;
      plain.forEach((x, i) => expect(mixed0[i]).toBeCloseTo(x, 4));
      const mixed1 = new KnnDecoder(model, store, { k: 1, lambda: 1, temperature: 10 }).decode(b.tgtIn, memory, options).data;
      [3, 6, 7, 2].forEach((next, t) => expect(Math.exp(mixed1[t * 8 + next]!)).toBeCloseTo(1, 4));
    });
  });

  it("refuses a datastore of another width", () => {
    const narrow = new KnnDatastore(new Float32Array(4), Int32Array.from([1]), 4);
    expect(() => new KnnDecoder(model, narrow, { k: 1, lambda: 0.5, temperature: 1 })).toThrow(/8-wide states.*got 4/);
  });
});

