/**
 * CMUdict for the g2p cases, prepared as `heed train g2p` prepares it: character tokens for
 * the words, phoneme tokens for the pronunciations (both built from the training split), the
 * seeded BucketSampler's batches of epoch 0 (a sample spread evenly over it) and @heed/data's
 * seq2seq collation.
 */
import type { Seq2SeqBatch, SeqPair } from "@heed/data";
import { MissingApi } from "../../heed/api.js";

type Data = typeof import("@heed/data");
type Datasets = typeof import("@heed/datasets/node");
type DataApi = Pick<Data, "CharTokenizer" | "WordTokenizer" | "BucketSampler" | "seq2seqCollate"> & Pick<Datasets, "loadCmudict">;

let loading: Promise<DataApi> | null = null;

/** @heed/data and @heed/datasets' Node entry (CMUdict on disk), loaded once. */
function loadData(): Promise<DataApi> {
  loading ??= (async () => {
    // specifiers held in a variable: a missing package is reported as n/a, not a build error
    const specifiers: string[] = ["@heed/data", "@heed/datasets/node"];
    try {
      const mods = await Promise.all(specifiers.map((s) => import(s) as Promise<Record<string, unknown>>));
      return Object.assign({}, ...mods) as DataApi;
    } catch (err) {
      throw new MissingApi([`@heed/datasets for CMUdict: ${err instanceof Error ? err.message.split("\n")[0]! : String(err)}`]);
    }
  })();
  return loading;
}

export interface G2PData {
  /** `n` full training batches spread evenly over epoch 0, in the sampler's order, as token pairs (collated per step, as the CLI does). */
  batches: SeqPair[][];
  collate: (pairs: readonly SeqPair[]) => Seq2SeqBatch;
  /** The test split's words as character ids, and the special token ids. */
  testWords: number[][];
  srcVocab: number;
  tgtVocab: number;
  bosId: number;
  eosId: number;
}

export async function g2pData(batchSize: number, n: number, seed: number): Promise<G2PData> {
  const d = await loadData();
  const { train, test } = d.loadCmudict();
  const src = d.CharTokenizer.fromCorpus(train.map((p) => p.word));
  const tgt = d.WordTokenizer.fromCorpus(train.map((p) => p.phonemes.join(" ")));
  const pairs = train.map((p) => ({ src: src.encode(p.word), tgt: tgt.vocab.encode(p.phonemes) }));
  const sampler = new d.BucketSampler(pairs.map((p) => Math.max(p.src.length, p.tgt.length)), { batchSize, shuffle: true, seed });
  const v = tgt.vocab;
  // n full batches spread evenly over epoch 0 (every stride-th, in the sampler's order), so their
  // word lengths are the epoch's: the first 32 full batches hold shorter words than the epoch's mean
  const full = sampler.batches(0).filter((b) => b.length === batchSize);
  if (full.length === 0) throw new Error(`g2p: no full batch of ${batchSize} words`);
  const stride = Math.max(1, Math.floor(full.length / n));
  const picked = full.filter((_, i) => i % stride === 0).slice(0, n);
  return {
    batches: picked.map((b) => b.map((i) => pairs[i]!)),
    collate: d.seq2seqCollate({ padId: v.padId, bosId: v.bosId!, eosId: v.eosId! }),
    testWords: test.map((p) => src.encode(p.word)),
    srcVocab: src.size,
    tgtVocab: tgt.size,
    bosId: v.bosId!,
    eosId: v.eosId!,
  };
}
