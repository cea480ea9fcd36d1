import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { answer, answerStream, formatAnswer, type Answer } from "./predict.js";

/** A model that upper-cases words and refuses digits, recording the batches it was given. */
function fakeModel() {
  const calls: string[][] = [];
  const predict = (words: string[]) => {
    calls.push(words);
    for (const w of words) if (/\d/.test(w)) throw new Error(`predict: '${w}' has a digit`);
    return words.map((w) => w.toUpperCase());
  };
  return { calls, predict };
}

describe("predict, line by line", () => {
  it("answers in order; blank inputs never reach the model; one bad input costs the others nothing", async () => {
    const { calls, predict } = fakeModel();
    expect(await answer(predict, ["cat", "", " dog ", "r2d2"])).toEqual([
      { input: "cat", output: "CAT" },
      { input: "", output: "" },
      { input: "dog", output: "DOG" },
      { input: "r2d2", error: "'r2d2' has a digit" },
    ]);
    expect(calls[0]).toEqual(["cat", "dog", "r2d2"]); // first together, then one by one
    expect(calls.slice(1)).toEqual([["cat"], ["dog"], ["r2d2"]]);
  });

  it("takes an asynchronous model too (the ONNX Runtime engine) with the same answers", async () => {
    const { predict } = fakeModel();
    const later = async (words: string[]) => {
      await new Promise((resolve) => setImmediate(resolve));
      return predict(words);
    };
    expect(await answer(later, ["cat", "", "r2d2"])).toEqual([{ input: "cat", output: "CAT" }, { input: "", output: "" }, { input: "r2d2", error: "'r2d2' has a digit" }]);
  });

  it("formats input<TAB>output, input<TAB> for a failure, a blank line for a blank input, or JSON", () => {
    const a: Answer[] = [{ input: "cat", output: "K AE1 T" }, { input: "r2d2", error: "bad" }, { input: "", output: "" }];
    expect(a.map((x) => formatAnswer(x, false))).toEqual(["cat\tK AE1 T", "r2d2\t", ""]);
    expect(a.map((x) => formatAnswer(x, true))).toEqual(['{"input":"cat","output":"K AE1 T"}', '{"input":"r2d2","error":"bad"}', '{"input":"","output":""}']);
  });

  it("streams: numbers lines from 1, keeps their order over batches, and handles CRLF and a last line without newline", async () => {
    const { predict } = fakeModel();
    const lines = Array.from({ length: 150 }, (_, i) => (i === 7 ? "x9" : i % 10 === 3 ? "" : `w${"a".repeat(i % 5)}`));
    const got: [number, Answer][] = [];
    await answerStream(predict, Readable.from([lines.slice(0, 100).join("\r\n") + "\r\n", lines.slice(100).join("\n")]), (a, n) => got.push([n, a]));
    expect(got.map(([n]) => n)).toEqual(lines.map((_, i) => i + 1));
    expect(got.map(([, a]) => a.input)).toEqual(lines);
    expect(got[7]![1]).toEqual({ input: "x9", error: "'x9' has a digit" });
  });
});
