/**
 * The in-place "append" cache (kv-cache.ts `appendPositions`): at inference on the wasm
 * backend (heads read in place, noGrad) cached self-attention writes new keys/values into
 * position-major storage instead of concatenating the cache. It must give the same bits as the
 * concatenating cache (taken when gradients are recorded), and the cache must still read as
 * [B, S, E] tensors.
 */
import { noGrad } from "@heed/autograd";
import { Generator, getBackend, setBackend, slice, type Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { rnd } from "../../test/utils/reference.js";
import { headsAttention } from "../functional/heads-attention.js";
import { cachedLength, createKeyValueCache, selectCacheRows, type KeyValueCache } from "./kv-cache.js";
import { MultiHeadAttention } from "./multi-head-attention.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const [B, E, H] = [3, 16, 4];
const T = 20; // beyond the initial capacity of 16 positions: the storage grows once

/**
 * T steps of cached causal self-attention, rows [2, 0, 0] selected after step 5 (reordered and
 * repeated: new storage) and rows [0, 2] after step 12 (kept in order: moved within the
 * storage); the outputs and the cache.
 */
function steps(mha: MultiHeadAttention, x: Tensor, inference: boolean): { outs: Float32Array[]; cache: KeyValueCache } {
  const cache = createKeyValueCache("append");
  const outs: Float32Array[] = [];
  let rows = B;
  let xs = x;
  for (let t = 0; t < T; t++) {
    const xt = slice(xs, [0, t, 0], [rows, t + 1, E]);
    const run = (): Tensor => mha.forward(xt, xt, xt, { isCausal: true, needWeights: false, cache }).output;
    outs.push((inference ? noGrad(run) : run()).data as Float32Array);
    if (t === 5 || t === 12) {
      const keep = Int32Array.from(t === 5 ? [2, 0, 0] : [0, 2]);
      selectCacheRows([cache], keep);
      rows = keep.length;
      xs = rnd([rows, T, E], 9 + t, "float32");
    }
  }
  return { outs, cache };
}

describe("in-place append cache (wasm backend, noGrad)", () => {
  it("gives the same outputs and cache, bit for bit, as the concatenating cache", () => {
    expect(setBackend("wasm")).toBe(true);
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(1) });
    mha.eval();
    const x = rnd([B, T, E], 2, "float32");
    const inPlace = steps(mha, x, true);
    const plain = steps(mha, x, false);
    expect(cachedLength(inPlace.cache)).toBe(T);
    inPlace.outs.forEach((o, t) => expect(o, `step ${t}`).toEqual(plain.outs[t]));
    // the in-place path really ran: its key is made when read (a new tensor per read), the plain one is kept
    expect(inPlace.cache.key).not.toBe(inPlace.cache.key);
    expect(plain.cache.key).toBe(plain.cache.key);
    expect(inPlace.cache.key!.shape).toEqual([2, T, E]);
    expect(inPlace.cache.key!.data).toEqual(plain.cache.key!.data);
    expect(inPlace.cache.value!.data).toEqual(plain.cache.value!.data);
  });

  it("assigning key or value returns the cache to plain tensors (the other one kept)", () => {
    expect(setBackend("wasm")).toBe(true);
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(3) });
    const x = rnd([B, 1, E], 4, "float32");
    const cache = createKeyValueCache("append");
    noGrad(() => mha.forward(x, x, x, { needWeights: false, cache }));
    noGrad(() => mha.forward(x, x, x, { needWeights: false, cache }));
    const value = cache.value!;
    const key = slice(cache.key!, [0, 0, 0], [B, 1, E]);
    cache.key = key;
    expect(cache.key).toBe(key);
    expect(cachedLength(cache)).toBe(1);
    expect(cache.value!.data).toEqual(value.data);
    expect(cache.value!.shape).toEqual([B, 2, E]);
  });

  it("a batch mismatch is an error naming both shapes", () => {
    expect(setBackend("wasm")).toBe(true);
    const mha = new MultiHeadAttention({ embedDim: E, numHeads: H, rng: new Generator(5) });
    const cache = createKeyValueCache("append");
    const x = rnd([B, 1, E], 6, "float32");
    noGrad(() => mha.forward(x, x, x, { needWeights: false, cache }));
    const y = rnd([2, 1, E], 7, "float32");
    expect(() => noGrad(() => mha.forward(y, y, y, { needWeights: false, cache }))).toThrow(/the cache holds 3 batch rows but key has 2 \(cache key: \[3,1,16\], new key: \[2,1,16\]\)/);
    expect(() => selectCacheRows([cache], Int32Array.from([3]))).toThrow(/selectCacheRows: row 3 is outside the cache's batch of 3/);
  });
});

describe("headsAttention: position-major keys and values", () => {
  for (const backend of ["js", "wasm"]) {
    it(`read in place from [S, B, k|v] equal the batch-major [B, S, E] operands bit for bit (${backend})`, () => {
      expect(setBackend(backend)).toBe(true);
      const [L, S] = [2, 5];
      const q = rnd([B, L, E], 11, "float32");
      const k = rnd([B, S, E], 12, "float32");
      const v = rnd([B, S, E], 13, "float32");
      const kv = new Float32Array(S * B * 2 * E); // [S, B, 2E]: keys then values
      for (let j = 0; j < S; j++) {
        for (let b = 0; b < B; b++) {
          kv.set((k.data as Float32Array).subarray((b * S + j) * E, (b * S + j + 1) * E), (j * B + b) * 2 * E);
          kv.set((v.data as Float32Array).subarray((b * S + j) * E, (b * S + j + 1) * E), (j * B + b) * 2 * E + E);
        }
      }
      const kvt = new (q.constructor as typeof Tensor)(kv, [S, B, 2 * E], "float32");
      const spec = { H, scale: 0.5, mask: null, causal: false, dropoutP: 0, dropoutSeed: 0 };
      const want = headsAttention(q, k, v, spec);
      const got = headsAttention(q, { tensor: kvt, column: 0, width: E, positionMajor: true }, { tensor: kvt, column: E, width: E, positionMajor: true }, spec);
      expect(got.shape).toEqual([B, L, E]);
      expect(got.data).toEqual(want.data);
      expect(() => headsAttention({ tensor: kvt, column: 0, width: E, positionMajor: true }, k, v, spec)).toThrow(/headsAttention: q must be \[B, L, ·\]/);
    });
  }
});
