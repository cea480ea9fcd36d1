import { CharTokenizer, DataLoader, WordTokenizer, ArrayDataset, seq2seqCollate } from "@heed/data";
import { loadCmudict } from "@heed/datasets/node";
import { describe, expect, it } from "vitest";

// Black-box: the pipeline the CLI's g2p task uses, through the package's public entry points.
describe("@heed/data + @heed/datasets g2p pipeline", () => {
  const { train, test } = loadCmudict();
  const chars = CharTokenizer.fromCorpus(train.map((e) => e.word), { specials: { bos: null, eos: null, unk: null } });
  const phones = WordTokenizer.fromCorpus(train.map((e) => e.phonemes.join(" ")), { specials: { unk: null } });

  it("builds the documented vocabularies (27 characters + pad; 69 phonemes + pad, bos, eos)", () => {
    expect(chars.size).toBe(28);
    expect(phones.size).toBe(72);
    expect(chars.vocab.padId).toBe(0);
  });

  it("batches length-bucketed (word, phonemes) pairs deterministically", () => {
    const pairs = test.map((e) => [chars.encode(e.word), phones.vocab.encode(e.phonemes)] as const);
    const make = (): DataLoader<(typeof pairs)[number], ReturnType<ReturnType<typeof seq2seqCollate>>> =>
      new DataLoader({
        dataset: new ArrayDataset(pairs),
        batchSize: 128,
        shuffle: true,
        seed: 1,
        bucketBy: ([src]) => src.length,
        collate: seq2seqCollate({ padId: 0, bosId: phones.vocab.bosId!, eosId: phones.vocab.eosId! }),
      });
    const loader = make();
    expect(loader.length).toBe(Math.ceil(6247 / 128));
    let padded = 0;
    let total = 0;
    for (const b of loader) {
      const [B, S] = b.src.shape as [number, number];
      expect(b.srcPaddingMask.shape).toEqual([B, S]);
      expect(b.tgtIn.shape).toEqual(b.tgtOut.shape);
      for (const v of b.srcPaddingMask.data) padded += v;
      total += B * S;
    }
    expect(padded / total).toBeLessThan(0.05); // bucketing keeps source padding small
    const again = make();
    again.setEpoch(1);
    const first = [...again][0]!;
    const epoch1 = [...loader][0]!;
    expect(Array.from(first.src.data)).toEqual(Array.from(epoch1.src.data));
    expect(Array.from(first.tgtOut.data)).toEqual(Array.from(epoch1.tgtOut.data));
    expect(first.tgtIn.data[0]).toBe(phones.vocab.bosId);
  });
});
