import { zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { ArrayDataset, CharTokenizer, DataLoader, makeWindows, parseCsv, randomSplit, regressionData, reverseTask, TensorDataset, tokenizerFromJSON, WordTokenizer, type Dataset } from "./index.js";

/** Values of the right option key but a bad value: one error naming the function and the value as given. */
const ds = (): TensorDataset => new TensorDataset(zeros([10, 2]), zeros([10]));

describe("DataLoader checks its option values and names itself", () => {
  it("batchSize, flags, functions, seed, dataset", () => {
    expect(() => new DataLoader({ dataset: ds(), batchSize: 0 })).toThrow("DataLoader: batchSize must be a positive integer, got number 0");
    expect(() => new DataLoader({ dataset: ds(), batchSize: "4" as unknown as number })).toThrow("DataLoader: batchSize must be a positive integer, got string '4'");
    expect(() => new DataLoader({ dataset: ds(), batchSize: 2, shuffle: "yes" as unknown as boolean, seed: 1 })).toThrow("DataLoader: shuffle must be a boolean, got string 'yes'");
    expect(() => new DataLoader({ dataset: ds(), batchSize: 2, collate: 3 as unknown as () => unknown })).toThrow("DataLoader: collate must be a function, got number 3");
    expect(() => new DataLoader({ dataset: ds(), batchSize: 2, shuffle: true, seed: NaN })).toThrow("DataLoader: seed must be an integer, got number NaN");
    expect(() => new DataLoader({ dataset: ds(), batchSize: 2, shuffle: true, seed: 1.5 })).toThrow("DataLoader: seed must be an integer, got number 1.5");
    expect(() => new DataLoader({ batchSize: 4 } as unknown as { dataset: Dataset<unknown> })).toThrow("DataLoader: 'dataset' must be a data set (an object with 'length' and 'get(i)', e.g. new ArrayDataset(items)), got undefined");
    expect(() => new DataLoader({ dataset: [1, 2, 3] as unknown as Dataset<number>, batchSize: 2 })).toThrow("DataLoader: 'dataset' must be a data set");
    expect([...new DataLoader({ dataset: new ArrayDataset([1, 2, 3]), batchSize: 2 })].map((b) => b.toArray())).toEqual([[1, 2], [3]]);
  });

  it("epoch(k, startBatch) needs a non-negative integer startBatch (was a TypeError)", () => {
    const loader = new DataLoader({ dataset: ds(), batchSize: 3 });
    expect(() => [...loader.epoch(0, -1)]).toThrow("DataLoader.epoch: startBatch must be a non-negative integer, got number -1");
    expect([...loader.epoch(0, 3)]).toHaveLength(1);
  });

  it("randomSplit: a NaN seed names randomSplit", () => {
    expect(() => randomSplit(ds(), [5, 5], NaN)).toThrow("randomSplit: seed must be an integer, got number NaN");
  });
});

describe("tokenizers", () => {
  it("encode takes a string; fromCorpus a list of strings (one string would be read as characters)", () => {
    const tok = CharTokenizer.fromCorpus(["abc"]);
    expect(() => tok.encode(3 as unknown as string)).toThrow("Tokenizer.encode: expected a string, got number 3");
    expect(tok.encode("")).toEqual([]);
    expect(() => WordTokenizer.fromCorpus("AH0 T")).toThrow("WordTokenizer.fromCorpus: expected a list of strings (the corpus), got string 'AH0 T'");
    expect(() => CharTokenizer.fromCorpus(["ab", 3] as unknown as string[])).toThrow("CharTokenizer.fromCorpus: text 1 of the corpus is number 3, expected a string");
  });

  it("tokenizerFromJSON without a vocab says what it expects (was a TypeError)", () => {
    expect(() => tokenizerFromJSON({ type: "char" } as never)).toThrow("tokenizerFromJSON: expected { type, vocab: { tokens, specials } } (from JSON.stringify(tokenizer)), got an object {type}");
  });
});

describe("CSV", () => {
  it("a decimal beyond the float64 range is an error with its line and column, not Infinity", () => {
    expect(() => parseCsv("a,b\n1,2\n3,1e400\n")).toThrow("parseCsv: line 3, column 2 ('b'): \"1e400\" is beyond the float64 range (it would be read as Infinity)");
    expect(parseCsv("a\n1e300\n").toTensor(["a"], "float64").data[0]).toBe(1e300);
  });
});

describe("windows and synthetic tasks check their options' keys", () => {
  it("a misspelled key throws instead of its default being used", () => {
    const series = Array.from({ length: 40 }, (_, t) => Math.sin(t));
    expect(() => makeWindows(series, { window: 4, testfraction: 0.5 } as never)).toThrow("makeWindows: unknown option 'testfraction' (accepted options: window, horizon, stride, testFraction, normalize)");
    expect(() => reverseTask({ n: 2, max_len: 3, seed: 1 } as never)).toThrow("reverseTask: unknown option 'max_len' (accepted options: n, minLen, maxLen, vocabSize, firstId, seed) — did you mean 'maxLen'?");
    expect(() => regressionData({ n: 4, feature: 2 } as never)).toThrow("regressionData: unknown option 'feature' (accepted options: n, features, noise, seed)");
    expect(makeWindows(series, { window: 4, testFraction: 0.5 }).splitIndex).toBe(20);
  });
});
