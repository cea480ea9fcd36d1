import { Generator, zeros, type Tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { affineDigits, shiftDigits, splitCmudict } from "./index.js";
import { loadCo2 } from "./node/index.js";

/** Misspelled or mistyped options are errors naming the function, never silently ignored. */
describe("options of the data set builders are checked", () => {
  const dict = { attention: "AH0 T EH1 N SH AH0 N", heed: "HH IY1 D" };

  it("splitCmudict: unknown keys and non-boolean flags", () => {
    expect(() => splitCmudict(dict, { Stress: false } as never)).toThrow("splitCmudict: unknown option 'Stress' (accepted options: stress, alternates)");
    expect(() => splitCmudict(dict, { stress: "no" as unknown as boolean })).toThrow("splitCmudict: expected 'stress' to be a boolean, got string 'no'");
    const { train, valid, test } = splitCmudict(dict, { stress: false });
    expect([...train, ...valid, ...test].find((e) => e.word === "heed")?.phonemes).toEqual(["HH", "IY", "D"]);
  });

  it("loadCo2: a misspelled window option throws (it was ignored and window 24 used)", () => {
    expect(() => loadCo2({ windowSize: 12 } as never)).toThrow("loadCo2: unknown option 'windowSize' (accepted options: adjusted, window, horizon, stride, testFraction, normalize)");
    expect(() => loadCo2({ adjusted: "yes" as unknown as boolean })).toThrow("loadCo2: expected 'adjusted' to be a boolean, got string 'yes'");
  });

  it("shiftDigits / affineDigits: a missing generator or a bad options key names the function", () => {
    const images = zeros([2, 1, 8, 8]);
    expect(() => affineDigits(images, undefined as unknown as Generator)).toThrow("affineDigits: expected a seeded Generator (new Generator(seed)) as 'rng', got undefined");
    expect(() => shiftDigits(images, new Generator(0), { shift: 1 } as never)).toThrow("shiftDigits: unknown option 'shift' (accepted options: maxShift)");
    expect(() => shiftDigits(null as unknown as Tensor, new Generator(0))).toThrow("shiftDigits: expected float32 images [B, C, H, W] as a Tensor, got null");
    expect(shiftDigits(images, new Generator(0)).shape).toEqual([2, 1, 8, 8]);
  });
});
