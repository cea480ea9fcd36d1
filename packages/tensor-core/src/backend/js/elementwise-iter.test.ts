import { describe, expect, it } from "vitest";
import { tensor } from "../../index.js";
import { broadcastPlan, forEachSegment, innerStrides, runSegments } from "./elementwise-iter.js";

function segments(out: number[], inputs: number[][]): [number, number, number[]][] {
  const list: [number, number, number[]][] = [];
  forEachSegment(broadcastPlan(out, inputs), (o, n, off) => list.push([o, n, off.slice()]));
  return list;
}

describe("broadcastPlan", () => {
  it("coalesces the training patterns into one or two dimensions", () => {
    const [B, L, E] = [2, 3, 4];
    expect(broadcastPlan([B, L, E], [[B, L, E], [B, L, E]])).toEqual({ dims: [24], strides: [[1], [1]] });
    expect(broadcastPlan([B, L, E], [[B, L, E], []])).toEqual({ dims: [24], strides: [[1], [0]] });
    expect(broadcastPlan([B, L, E], [[B, L, E], [E]])).toEqual({ dims: [6, 4], strides: [[4, 1], [0, 1]] });
    expect(broadcastPlan([B, L, E], [[B, L, E], [B, L, 1]])).toEqual({ dims: [6, 4], strides: [[4, 1], [1, 0]] });
    expect(broadcastPlan([B, L, E], [[B, 1, E], [B, L, E]])).toEqual({ dims: [2, 3, 4], strides: [[4, 0, 1], [12, 4, 1]] });
  });

  it("drops size-1 output dimensions and handles rank 0", () => {
    expect(broadcastPlan([1, 3, 1], [[1, 3, 1], [3, 1]])).toEqual({ dims: [3], strides: [[1], [1]] });
    expect(broadcastPlan([], [[], []])).toEqual({ dims: [], strides: [[], []] });
    expect(innerStrides(broadcastPlan([], [[]]))).toEqual([0]);
  });
});

describe("forEachSegment", () => {
  it("visits every segment with each input's start offset", () => {
    // out [2,3] from a [2,1] (one value per row) and b [3] (restarts every row)
    expect(segments([2, 3], [[2, 1], [3]])).toEqual([
      [0, 3, [0, 0]],
      [3, 3, [1, 0]],
    ]);
    // a [2,1,2] with b [3,1] -> out [2,3,2]: nothing coalesces
    const segs = segments([2, 3, 2], [[2, 1, 2], [3, 1]]);
    expect(segs.map(([o]) => o)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(segs.map(([, , off]) => off)).toEqual([[0, 0], [0, 1], [0, 2], [2, 0], [2, 1], [2, 2]]);
  });

  it("visits nothing for an empty output and one element for rank 0", () => {
    expect(segments([0, 3], [[0, 3], [3]])).toEqual([]);
    expect(segments([], [[]])).toEqual([[0, 1, [0]]]);
  });
});

describe("runSegments", () => {
  const visits = (shape: number[], inputs: number[][]): [number, number, number[], number[]][] => {
    const list: [number, number, number[], number[]][] = [];
    const ts = inputs.map((s) => tensor(new Float32Array(s.reduce((p, d) => p * d, 1)), s));
    runSegments(shape, ts, (o, n, off, step) => list.push([o, n, off.slice(), step.slice()]));
    return list;
  };

  it("uses one segment when every input is full-size or a single value", () => {
    expect(visits([2, 3], [[2, 3], [1, 1]])).toEqual([[0, 6, [0, 0], [1, 0]]]);
    expect(visits([1], [[1], []])).toEqual([[0, 1, [0, 0], [0, 0]]]);
    expect(visits([0, 2], [[0, 2], [2]])).toEqual([]);
  });

  it("falls back to the coalesced plan otherwise", () => {
    expect(visits([2, 3], [[2, 3], [3]])).toEqual([
      [0, 3, [0, 0], [1, 1]],
      [3, 3, [3, 0], [1, 1]],
    ]);
    expect(visits([2, 3], [[3], [2, 3], []])).toEqual([
      [0, 3, [0, 0, 0], [1, 1, 0]],
      [3, 3, [0, 3, 0], [1, 1, 0]],
    ]);
  });
});
