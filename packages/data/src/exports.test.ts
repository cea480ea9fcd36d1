import { describe, expect, it } from "vitest";
import * as data from "./index.js";

describe("@heed/data's public surface", () => {
  it("keeps internal helpers out of the package entry (tensor-core's `stack`, the Vocabulary's `specials` and copyTask/reverseTask/sortTask are the public ways)", () => {
    for (const name of ["stackRows", "splitCsvRecord", "epochGenerator", "sequenceTask", "DEFAULT_SPECIALS"]) expect(Object.keys(data)).not.toContain(name);
    expect(data.Vocabulary.build([]).specials).toEqual({ pad: "<pad>", bos: "<bos>", eos: "<eos>", unk: "<unk>" });
  });
});
