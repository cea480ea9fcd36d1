import { tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import {
  ArrayDataset, BucketSampler, CharTokenizer, CsvReader, DataLoader, padSequence, padSequences, parseCsv, RandomBatchSampler, seq2seqCollate, Vocabulary,
} from "./index.js";

const corpus = [["a", "b"], ["b", "c"]];
const vocab = (): Vocabulary => Vocabulary.build(corpus);
const tok = (): CharTokenizer => CharTokenizer.fromCorpus(["heed", "data"]);
const CSV = "x,y,d\n1,2,a\n3,,b\n";
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof Object && "toArray" in x ? (x as { toArray(): unknown }).toArray() : x))) as unknown;
const epochs = (make: (o: object) => { batches(e: number): number[][] }) => (o: object): unknown => [0, 1].map((e) => make(o).batches(e));

/** [function name in the error, call with an options object, a valid non-default options object]. */
const CASES: [string, (o: object) => unknown, object][] = [
  ["DataLoader", (o) => [...new DataLoader({ dataset: new ArrayDataset([1, 2, 3, 4, 5]), collate: (b: number[]) => b, ...o })], { batchSize: 2, shuffle: true }],
  ["RandomBatchSampler", epochs((o) => new RandomBatchSampler(7, { batchSize: 2, ...o })), { shuffle: true, seed: 3 }],
  ["BucketSampler", epochs((o) => new BucketSampler([3, 1, 2, 5, 4, 1], { batchSize: 2, ...o })), { shuffle: true, poolBatches: 1 }],
  ["padSequence", (o) => plain(padSequence([[1, 2, 3], [4]], o)), { batchFirst: true, paddingSide: "left" }],
  ["padSequences", (o) => plain(padSequences([[1, 2, 3], [4]], o)), { maxLen: 2, padding: "post" }],
  ["seq2seqCollate", (o) => plain(seq2seqCollate({ bosId: 1, eosId: 2, ...o })([[[5, 6], [7]]])), { padId: 3, ignoreIndex: -1 }],
  ["Vocabulary.build", (o) => Vocabulary.build(corpus, o).tokens, { order: "frequency", minFreq: 2 }],
  ["Vocabulary.build: specials", (o) => Vocabulary.build(corpus, { specials: o }).tokens, { unk: null }],
  ["Vocabulary: specials", (o) => new Vocabulary(["<pad>", "<bos>", "<eos>", "<unk>", "x"], o).specials, { unk: "<unk>" }],
  ["Vocabulary.encode", (o) => vocab().encode(["a", "z"], o), { addBos: true }],
  ["Vocabulary.decode", (o) => vocab().decode([1, 4, 2, 5], o), { stopAtEos: false }],
  ["Tokenizer.encode", (o) => tok().encode("heed", o), { addEos: true }],
  ["Tokenizer.decode", (o) => tok().decode([1, 4, 2, 5], o), { skipSpecial: false }],
  ["parseCsv", (o) => plain(parseCsv(CSV, { text: ["d"], ...o })), { missing: 0 }],
  ["parseCsv", (o) => plain(new CsvReader({ missing: 0, text: ["d"], ...o }).write(CSV).end()), { delimiter: "," }],
];

describe("options objects of @heed/data", () => {
  it.each(CASES)("%s rejects an unknown key, naming the function, the key and the accepted keys", (name, call, valid) => {
    const key = Object.keys(valid)[0]!;
    expect(() => call({ ...valid, batch_size: 2 })).toThrow(new RegExp(`^${name}: unknown option 'batch_size' \\(accepted options: .*${key}`));
  });

  it.each(CASES)("%s treats an explicitly undefined option as its default", (name, call, valid) => {
    const undef = Object.fromEntries(Object.keys(valid).map((k) => [k, undefined]));
    if (name === "parseCsv" && Object.keys(valid).includes("missing")) {
      expect(() => call(undef)).toThrow("parseCsv: line 3, column 2 ('y'): is empty (pass { missing } to allow empty fields)"); // the default
      return;
    }
    expect(call(undef)).toEqual(call({}));
  });

  it("hints the camelCase name of PyTorch's keywords", () => {
    expect(() => padSequence([[1]], { batch_first: true } as never)).toThrow("padSequence: unknown option 'batch_first' (accepted options: batchFirst, paddingValue, paddingSide, dtype) — did you mean 'batchFirst'?");
    expect(() => new DataLoader({ dataset: new ArrayDataset([1]), drop_last: true } as never)).toThrow("did you mean 'dropLast'?");
    expect(() => parseCsv("a\n1\n", { source: "data.csv", header: true, sep: ";" } as never)).toThrow("data.csv: unknown option 'sep'");
    expect(padSequence([tensor([1, 2])], { paddingValue: undefined }).padded.toArray()).toEqual([[1], [2]]);
  });
});
