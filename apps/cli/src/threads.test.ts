import { describe, expect, it } from "vitest";
import { MAX_THREADS, useThreads } from "./threads.js";

describe("--threads", () => {
  it.each(["0", "1e9", String(MAX_THREADS + 1), "abc", "1.5"])("refuses %s with one line naming the flag and the range", (v) => {
    expect(() => useThreads(v, "predict")).toThrow(/^invalid value for --threads: /);
    expect(() => useThreads(v, "predict")).toThrow(expect.objectContaining({ name: "UsageError" }));
  });

  it("names the largest value it takes", () => {
    expect(() => useThreads("1000000000", "train")).toThrow(`invalid value for --threads: 1000000000 (expected an integer >= 1 and <= ${MAX_THREADS})`);
  });
});
