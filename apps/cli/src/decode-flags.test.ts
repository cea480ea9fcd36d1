import { describe, expect, it } from "vitest";
import { readDecodeFlags } from "./decode-flags.js";
import { UsageError } from "./errors.js";
import { DEFAULT_MBR } from "./tasks/translate-mbr.js";

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
    expect(() => readDecodeFlags("eval", { decode: "beam" })).toThrow(new UsageError("eval: invalid value for --decode: 'beam'; choose one of greedy, mbr"));
    expect(() => readDecodeFlags("eval", { decode: "greedy", mbrEpsilon: "0.1" })).toThrow("eval: --mbr-epsilon applies to --decode mbr, got --decode greedy");
    expect(() => readDecodeFlags("eval", { decode: "mbr", mbrNeighbours: "-1" })).toThrow("invalid value for --mbr-neighbours: -1 (expected an integer >= 0)");
    expect(() => readDecodeFlags("eval", { decode: "mbr", mbrSamples: "x" })).toThrow("invalid value for --mbr-samples: 'x' is not an integer");
    expect(() => readDecodeFlags("eval", { decode: "mbr", beam: "4" })).toThrow(/--beam applies to greedy or beam-search decoding/);
  });
});
