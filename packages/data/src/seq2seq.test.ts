import { describe, expect, it } from "vitest";
import { seq2seqCollate } from "./seq2seq.js";

const F = false;
const T = true;

describe("seq2seqCollate", () => {
  const collate = seq2seqCollate({ padId: 0, bosId: 1, eosId: 2 });

  it("pads sources and shifts targets for teacher forcing", () => {
    const b = collate([
      [[5, 6, 7], [8]],
      [[5], [9, 10]],
    ]);
    expect(b.src.dtype).toBe("int32");
    expect(b.src.toArray()).toEqual([[5, 6, 7], [5, 0, 0]]);
    expect(b.srcPaddingMask.toArray()).toEqual([[F, F, F], [F, T, T]]);
    expect(b.tgtIn.toArray()).toEqual([[1, 8, 0], [1, 9, 10]]);
    expect(b.tgtOut.toArray()).toEqual([[8, 2, -100], [9, 10, 2]]);
    expect(b.tgtPaddingMask.toArray()).toEqual([[F, F, T], [F, F, F]]);
    expect(b.srcLengths).toEqual([3, 1]);
    expect(b.tgtLengths).toEqual([2, 3]);
  });

  it("accepts { src, tgt } objects, typed arrays and a custom ignore index", () => {
    const c = seq2seqCollate({ padId: 3, bosId: 1, eosId: 2, ignoreIndex: 3 });
    const b = c([{ src: Int32Array.of(4), tgt: [] }, { src: [4, 5], tgt: [6] }]);
    expect(b.src.toArray()).toEqual([[4, 3], [4, 5]]);
    expect(b.tgtIn.toArray()).toEqual([[1, 3], [1, 6]]);
    expect(b.tgtOut.toArray()).toEqual([[2, 3], [6, 2]]);
  });

  it("rejects bad settings and empty batches", () => {
    expect(() => seq2seqCollate({ bosId: 1.5, eosId: 2 })).toThrow("seq2seqCollate: bosId must be an integer, got number 1.5");
    expect(() => collate([])).toThrow("seq2seqCollate: cannot collate an empty batch");
    // a bare id list instead of a pair (was "Tensor: data has 0 elements but shape [1,NaN] needs NaN")
    expect(() => collate([[5, 6]] as never)).toThrow("seq2seqCollate: pair 0 must be [src, tgt] or { src, tgt } (two id arrays), got an array [5, 6]");
    expect(() => collate([[[5], [6]], { src: [5] }] as never)).toThrow("seq2seqCollate: pair 1 must be [src, tgt] or { src, tgt } (two id arrays), got an object {src}");
  });
});
