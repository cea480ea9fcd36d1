import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { padSequence, padSequences } from "./padding.js";

const F = false;
const T = true;

describe("padSequence (torch.nn.utils.rnn.pad_sequence)", () => {
  const seqs = [[1, 2, 3], [4, 5], [6]];

  it("is [L, B] by default, padded at the end", () => {
    const { padded, lengths, keyPaddingMask } = padSequence(seqs);
    expect(padded.shape).toEqual([3, 3]);
    expect(padded.dtype).toBe("int32");
    expect(padded.toArray()).toEqual([[1, 4, 6], [2, 5, 0], [3, 0, 0]]);
    expect(lengths).toEqual([3, 2, 1]);
    // the mask is always [B, L], TRUE = PADDING
    expect(keyPaddingMask.dtype).toBe("bool");
    expect(keyPaddingMask.toArray()).toEqual([[F, F, F], [F, F, T], [F, T, T]]);
  });

  it("is [B, L] with batchFirst, with a padding value and left padding", () => {
    expect(padSequence(seqs, { batchFirst: true, paddingValue: -1 }).padded.toArray()).toEqual([[1, 2, 3], [4, 5, -1], [6, -1, -1]]);
    const left = padSequence(seqs, { batchFirst: true, paddingSide: "left" });
    expect(left.padded.toArray()).toEqual([[1, 2, 3], [0, 4, 5], [0, 0, 6]]);
    expect(left.keyPaddingMask.toArray()).toEqual([[F, F, F], [T, F, F], [T, T, F]]);
  });

  it("keeps trailing dimensions and the tensors' dtype", () => {
    const a = tensor([[1, 1], [2, 2]]);
    const b = tensor([[3, 3]]);
    const first = padSequence([a, b]);
    expect(first.padded.shape).toEqual([2, 2, 2]);
    expect(first.padded.dtype).toBe("float32");
    expect(first.padded.toArray()).toEqual([[[1, 1], [3, 3]], [[2, 2], [0, 0]]]);
    expect(padSequence([a, b], { batchFirst: true }).padded.toArray()).toEqual([[[1, 1], [2, 2]], [[3, 3], [0, 0]]]);
  });

  it("handles empty sequences and rejects bad input", () => {
    const r = padSequence([[], [7]], { batchFirst: true });
    expect(r.padded.toArray()).toEqual([[0], [7]]);
    expect(r.keyPaddingMask.toArray()).toEqual([[T], [F]]);
    expect(padSequence([[], []]).padded.shape).toEqual([0, 2]);
    expect(() => padSequence([])).toThrow("padSequence: needs at least one sequence");
    expect(() => padSequence([tensor([[1, 2]]), tensor([[1, 2, 3]])])).toThrow("padSequence: sequences must share their trailing dimensions (got [1,2], [1,3])");
    expect(() => padSequence([[1.5]])).toThrow("padSequence: value 1.5 of sequence 0 at position 0 is not an integer but dtype is int32");
    expect(padSequence([[1.5]], { dtype: "float32" }).padded.toArray()).toEqual([[1.5]]);
    expect(() => padSequence([tensor(1)])).toThrow(/rank >= 1/);
    expect(() => padSequence("abc" as never)).toThrow("padSequence: expected an array of sequences (number arrays or tensors [L_i, *]), got string 'abc'");
    expect(() => padSequence([[1], 2] as never)).toThrow("padSequence: sequence 1 must be an array of numbers or a Tensor [L_i, *], got number 2");
    expect(() => padSequences(["ab"] as never)).toThrow("padSequences: sequence 0 must be an array of numbers or a Tensor [L_i, *], got string 'ab'");
    expect(padSequence([new Int32Array([1, 2]), [3]]).padded.toArray()).toEqual([[1, 3], [2, 0]]);
  });

  it("refuses a paddingSide other than 'right' / 'left' and a non-boolean batchFirst (were taken as 'right' / truthy)", () => {
    expect(() => padSequence([[1]], { paddingSide: "middle" as never })).toThrow("padSequence: paddingSide must be 'right' or 'left', got string 'middle'");
    expect(() => padSequence([[1]], { batchFirst: "true" as never })).toThrow("padSequence: expected 'batchFirst' to be a boolean, got string 'true'");
  });
});

describe("padSequences (keras.utils.pad_sequences)", () => {
  const seqs = [[1], [2, 3], [4, 5, 6]];

  it("pads at the front by default", () => {
    const { padded, lengths, keyPaddingMask } = padSequences(seqs);
    expect(padded.toArray()).toEqual([[0, 0, 1], [0, 2, 3], [4, 5, 6]]);
    expect(lengths).toEqual([1, 2, 3]);
    expect(keyPaddingMask.toArray()).toEqual([[T, T, F], [T, F, F], [F, F, F]]);
  });

  it("padding 'post' and value", () => {
    const r = padSequences(seqs, { padding: "post", value: 9 });
    expect(r.padded.toArray()).toEqual([[1, 9, 9], [2, 3, 9], [4, 5, 6]]);
    expect(r.keyPaddingMask.toArray()).toEqual([[F, T, T], [F, F, T], [F, F, F]]);
  });

  it("truncates at the front by default, or at the back", () => {
    expect(padSequences(seqs, { maxLen: 2 }).padded.toArray()).toEqual([[0, 1], [2, 3], [5, 6]]);
    expect(padSequences(seqs, { maxLen: 2, truncating: "post" }).padded.toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    const r = padSequences(seqs, { maxLen: 2, padding: "post", truncating: "post" });
    expect(r.padded.toArray()).toEqual([[1, 0], [2, 3], [4, 5]]);
    expect(r.lengths).toEqual([1, 2, 2]);
  });

  it("pads to a longer maxLen and rejects bad options", () => {
    expect(padSequences([[1, 2]], { maxLen: 4 }).padded.toArray()).toEqual([[0, 0, 1, 2]]);
    expect(padSequences([[1, 2]], { maxLen: 0 }).padded.shape).toEqual([1, 0]);
    expect(() => padSequences(seqs, { padding: "middle" as "pre" })).toThrow("padSequences: padding must be 'pre' or 'post', got 'middle'");
    expect(() => padSequences(seqs, { maxLen: -1 })).toThrow("padSequences: maxLen must be a non-negative integer, got number -1");
    expect(() => padSequences(seqs, { value: 0.5 })).toThrow("padSequences: padding value 0.5 is not an integer but dtype is int32");
  });
});
