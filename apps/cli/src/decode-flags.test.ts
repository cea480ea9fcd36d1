import { describe, expect, it } from "vitest";
import { readDecodeFlags } from "./decode-flags.js";
import { UsageError } from "./errors.js";
import { DEFAULT_MBR } from "./tasks/translate-mbr.js";
import { DEFAULT_KNN } from "./tasks/translate-knn.js";

describe("readDecodeFlags", () => {
  it("reads --decode, the MBR sizes over their defaults, and --beam", () => {
    expect(readDecodeFlags("predict", {})).toEqual({}); // the task default: MBR for translate (restore)
    expect(readDecodeFlags("predict", { mbrSamples: "8" })).toEqual({ mbr: { ...DEFAULT_MBR, samples: 8 } }); // adjusts the default MBR
    expect(readDecodeFlags("predict", { beam: "3" })).toEqual({ beam: 3 });
    expect(readDecodeFlags("predict", { decode: "greedy" })).toEqual({ mbr: null });
    expect(readDecodeFlags("eval", { decode: "mbr" })).toEqual({ mbr: DEFAULT_MBR });
    expect(readDecodeFlags("eval", { decode: "mbr", mbrSamples: "8", mbrNeighbours: "0", mbrEpsilon: "0.02" })).toEqual({ mbr: { samples: 8, neighbours: 0, epsilon: 0.02 } });
  });

  it("names the flag that is wrong", () => {
    expect(() => readDecodeFlags("eval", { decode: "beam" })).toThrow(new UsageError("eval: invalid value for --decode: 'beam'; choose one of greedy, mbr, knn, knn-mbr"));
    expect(() => readDecodeFlags("eval", { decode: "greedy", mbrEpsilon: "0.1" })).toThrow("eval: --mbr-epsilon applies to --decode mbr or knn-mbr, got --decode greedy");
    expect(() => readDecodeFlags("eval", { decode: "mbr", mbrNeighbours: "-1" })).toThrow("invalid value for --mbr-neighbours: -1 (expected an integer >= 0)");
    expect(() => readDecodeFlags("eval", { decode: "mbr", mbrSamples: "x" })).toThrow("invalid value for --mbr-samples: 'x' is not an integer");
    expect(() => readDecodeFlags("eval", { decode: "mbr", beam: "4" })).toThrow(/--beam applies to greedy or beam-search decoding/);
  });

  it("reads --decode knn and knn-mbr with the kNN options over their defaults, and --mbr-evidence", () => {
    expect(readDecodeFlags("eval", { decode: "knn" })).toEqual({ mbr: null, knn: DEFAULT_KNN });
    expect(readDecodeFlags("eval", { decode: "knn", beam: "4", knnLambda: "0.25" })).toEqual({ beam: 4, mbr: null, knn: { ...DEFAULT_KNN, lambda: 0.25 } });
    expect(readDecodeFlags("predict", { decode: "knn-mbr", knnNeighbours: "4", knnTemperature: "100" })).toEqual({ mbr: DEFAULT_MBR, knn: { ...DEFAULT_KNN, k: 4, temperature: 100 } });
    expect(readDecodeFlags("predict", { decode: "mbr", mbrEvidence: "pool" })).toEqual({ mbr: { ...DEFAULT_MBR, evidence: "pool" } });
    expect(readDecodeFlags("predict", { mbrEvidence: "samples" })).toEqual({ mbr: DEFAULT_MBR });
    expect(() => readDecodeFlags("eval", { decode: "mbr", knnLambda: "0.5" })).toThrow(new UsageError("eval: --knn-lambda applies to --decode knn or knn-mbr, got --decode mbr"));
    expect(() => readDecodeFlags("eval", { knnNeighbours: "4" })).toThrow("eval: --knn-neighbours applies to --decode knn or knn-mbr, got --decode mbr (the default)");
    expect(() => readDecodeFlags("eval", { decode: "knn", mbrSamples: "4" })).toThrow("eval: --mbr-samples applies to --decode mbr or knn-mbr, got --decode knn");
    expect(() => readDecodeFlags("eval", { decode: "knn", knnLambda: "2" })).toThrow("invalid value for --knn-lambda: 2 (expected a number >= 0 and <= 1)");
    expect(() => readDecodeFlags("eval", { decode: "knn-mbr", beam: "2" })).toThrow(/--beam applies to greedy or beam-search decoding, not to --decode knn-mbr/);
    expect(() => readDecodeFlags("eval", { decode: "mbr", mbrEvidence: "all" })).toThrow("eval: invalid value for --mbr-evidence: 'all'; choose one of samples, pool, retrieved");
  });
});
