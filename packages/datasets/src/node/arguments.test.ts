import { describe, expect, it } from "vitest";
import * as node from "./index.js";

/** Every loader of @heed/datasets/node, called as a newcomer might get it wrong (JavaScript, so no type checks). */
const call = (fn: keyof typeof node, ...args: unknown[]) => () => (node[fn] as (...a: unknown[]) => unknown)(...args);

describe("@heed/datasets/node loaders check their arguments the same way", () => {
  it("an unknown option key or a non-object where options go is an error naming the loader (loadDigits took { foo: 1 } silently)", () => {
    expect(call("loadDigits", { foo: 1 })).toThrow("loadDigits: unknown option 'foo' (accepted options: none)");
    expect(call("loadDigits", 5)).toThrow("loadDigits: expected an options object, got number 5");
    expect(call("loadCmudict", { Stress: false })).toThrow("loadCmudict: unknown option 'Stress' (accepted options: stress, alternates)");
    expect(call("loadCmudict", { stress: "no" })).toThrow("loadCmudict: expected 'stress' to be a boolean, got string 'no'");
    expect(call("loadCo2", { windowSize: 12 })).toThrow(/^loadCo2: unknown option 'windowSize'/);
  });

  it("a loader's own name is in errors its helpers raise (was splitCmudict / makeWindows)", () => {
    expect(call("loadCmudict", null)).toThrow("loadCmudict: expected an options object, got null");
    expect(call("loadCo2", { window: -1 })).toThrow("loadCo2: window must be a positive integer (window -1, horizon 1, stride 1, testFraction 0.2, series length 741)");
  });

  it("a locale or series name that is not a string is named as what it is (was '[object Object]')", () => {
    expect(call("loadEmojiPairs", { src: "en" })).toThrow(/^loadEmojiPairs: expected a locale name \(one of bn, .*zh-hant\), got an object \{src\}$/);
    expect(call("loadEmojiClassification", 5)).toThrow(/^loadEmojiClassification: expected a locale name .*, got number 5$/);
    expect(call("loadTimeSeries", { name: "co2" })).toThrow("loadTimeSeries: expected a series name (one of co2, co2-adjusted, global-temp, seattle-temp-max, sp500), got an object {name}");
    expect(call("loadTimeSeries", "toString")).toThrow(/^loadTimeSeries: unknown series 'toString'/);
  });

  it("more arguments than a loader takes are an error, not ignored", () => {
    expect(call("loadEmojiPairs", "en", "zh", { split: "train" })).toThrow("loadEmojiPairs: takes (srcLocale?, tgtLocale?), got 3 arguments");
    expect(call("loadEmojiRecords", "en", "zh")).toThrow("loadEmojiRecords: takes (locale?), got 2 arguments");
    expect(call("loadEmojiVariantPairs", "en", "zh", {})).toThrow("loadEmojiVariantPairs: takes (srcLocale?, tgtLocale?), got 3 arguments");
    expect(call("loadEmojiClassification", "en", {})).toThrow("loadEmojiClassification: takes (locale?), got 2 arguments");
    expect(call("loadTimeSeries", "co2", { window: 3 })).toThrow("loadTimeSeries: takes (name?), got 2 arguments");
    expect(call("loadCo2", {}, {})).toThrow("loadCo2: takes (options?), got 2 arguments");
    expect(call("loadCmudict", {}, {})).toThrow("loadCmudict: takes (options?), got 2 arguments");
    expect(call("loadDigits", {}, {})).toThrow("loadDigits: takes (options?), got 2 arguments");
  });

  it("an empty options object or undefined is the defaults", () => {
    expect(node.loadDigits({}).test.labels.shape).toEqual([2004]);
    expect(node.loadCo2(undefined).train.x.shape).toEqual(node.loadCo2({}).train.x.shape);
  });
});
