/**
 * End-to-end: g2p training throughput of the CLI's model, built from the packages alone:
 * @heed/attention's Seq2SeqTransformer on CMUdict (@heed/data), token cross-entropy with label
 * smoothing 0.1, one Adam step per batch (betas 0.9/0.98, eps 1e-9, as `heed train`), dropout 0
 * so every engine computes the same thing. Heed only (no peer has this model); the Heed engines
 * are checked against each other on three steps' losses. Reported as words/s = batch size /
 * median step time.
 */
import { MissingApi, need, type HeedCtx, type HeedModule, type Tensor } from "../heed/api.js";
import { toFloat32 } from "../heed/prepared.js";
import type { BenchCase, Prepared } from "../types.js";

/** The g2p batches' tensors (@heed/data's Seq2SeqBatch). */
interface Batch {
  src: Tensor;
  srcPaddingMask: Tensor;
  tgtIn: Tensor;
  tgtPaddingMask: Tensor;
  tgtOut: Tensor;
}

interface Seq2SeqModel extends HeedModule {
  forward(src: Tensor, tgtIn: Tensor, options: { srcKeyPaddingMask: Tensor; tgtKeyPaddingMask: Tensor }): Tensor;
}

/** The package exports this case uses besides the shared HeedApi ones. */
interface G2PApi {
  Seq2SeqTransformer: new (options: Record<string, unknown>) => Seq2SeqModel;
  crossEntropy(logits: Tensor, target: Tensor, options: { ignoreIndex: number; labelSmoothing: number }): Tensor;
  reshape(x: Tensor, shape: number[]): Tensor;
  generator(seed: number): unknown;
}

interface Tokenizer {
  size: number;
  encode(text: string): number[];
  vocab: { padId: number; bosId: number | null; eosId: number | null; encode(tokens: readonly string[]): number[] };
}
/** The parts of @heed/data (and its Node entry, for CMUdict) this case uses. */
interface DataApi {
  loadCmudict(): { train: { word: string; phonemes: string[] }[] };
  CharTokenizer: { fromCorpus(texts: readonly string[]): Tokenizer };
  WordTokenizer: { fromCorpus(texts: readonly string[]): Tokenizer };
  BucketSampler: new (lengths: readonly number[], options: { batchSize: number; shuffle: boolean; seed: number }) => { batches(epoch: number): number[][] };
  seq2seqCollate(options: { padId: number; bosId: number; eosId: number }): (pairs: readonly { src: number[]; tgt: number[] }[]) => Batch;
}

export const G2P_SIZES = {
  full: { batchSize: 128, layers: 3, dModel: 128, ff: 512, batches: 8 },
  quick: { batchSize: 8, layers: 1, dModel: 16, ff: 32, batches: 2 },
} as const;

/** As `heed train g2p`: 4 heads, words of up to 40 letters (+ bos/eos), label smoothing 0.1. */
const G2P = { heads: 4, maxLen: 42, labelSmoothing: 0.1, seed: 1 };

function g2pApi(ctx: HeedCtx): G2PApi {
  const names = ["Seq2SeqTransformer", "crossEntropy", "reshape", "generator"] as const;
  const missing = names.filter((n) => typeof ctx.exports.get(n) !== "function");
  if (missing.length > 0) throw new MissingApi([...missing]);
  return Object.fromEntries(names.map((n) => [n, ctx.exports.get(n)])) as unknown as G2PApi;
}

let data: Promise<DataApi> | null = null;

/** @heed/data and @heed/datasets' Node entry (CMUdict on disk), loaded once. */
function loadData(): Promise<DataApi> {
  data ??= (async () => {
    const specifiers: string[] = ["@heed/data", "@heed/datasets/node"];
    try {
      const mods = await Promise.all(specifiers.map((s) => import(s) as Promise<Record<string, unknown>>));
      return Object.assign({}, ...mods) as DataApi;
    } catch (err) {
      throw new MissingApi([`@heed/datasets for CMUdict: ${err instanceof Error ? err.message.split("\n")[0]! : String(err)}`]);
    }
  })();
  return data;
}

type Size = (typeof G2P_SIZES)["full"] | (typeof G2P_SIZES)["quick"];

/** The first `n` full batches of epoch 0, as `heed train g2p` forms them (same tokenizers and sampler). */
async function g2pBatches(size: Size): Promise<{ batches: Batch[]; srcVocab: number; tgtVocab: number }> {
  const d = await loadData();
  const train = d.loadCmudict().train;
  const src = d.CharTokenizer.fromCorpus(train.map((p) => p.word));
  const tgt = d.WordTokenizer.fromCorpus(train.map((p) => p.phonemes.join(" ")));
  const pairs = train.map((p) => ({ src: src.encode(p.word), tgt: tgt.vocab.encode(p.phonemes) }));
  const sampler = new d.BucketSampler(pairs.map((p) => Math.max(p.src.length, p.tgt.length)), { batchSize: size.batchSize, shuffle: true, seed: G2P.seed });
  const collate = d.seq2seqCollate({ padId: tgt.vocab.padId, bosId: tgt.vocab.bosId!, eosId: tgt.vocab.eosId! });
  const picked = sampler.batches(0).filter((b) => b.length === size.batchSize).slice(0, size.batches);
  if (picked.length === 0) throw new Error(`g2p: no full batch of ${size.batchSize} words`);
  return { batches: picked.map((b) => collate(b.map((i) => pairs[i]!))), srcVocab: src.size, tgtVocab: tgt.size };
}

async function g2pTrainer(ctx: HeedCtx, size: Size): Promise<() => number> {
  const { Adam } = need(ctx, ["Adam"]);
  const api = g2pApi(ctx);
  const { batches, srcVocab, tgtVocab } = await g2pBatches(size);
  const model = new api.Seq2SeqTransformer({
    srcVocab, tgtVocab, dModel: size.dModel, nhead: G2P.heads, numEncoderLayers: size.layers, numDecoderLayers: size.layers,
    dimFeedforward: size.ff, dropout: 0, maxLen: G2P.maxLen, rng: api.generator(G2P.seed),
  });
  const opt = new Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.98], eps: 1e-9 });
  let next = 0;
  return () => {
    opt.zeroGrad();
    const b = batches[next++ % batches.length]!;
    const logits = model.forward(b.src, b.tgtIn, { srcKeyPaddingMask: b.srcPaddingMask, tgtKeyPaddingMask: b.tgtPaddingMask });
    const [B, T, V] = logits.shape as [number, number, number];
    const loss = api.crossEntropy(api.reshape(logits, [B * T, V]), api.reshape(b.tgtOut, [B * T]), { ignoreIndex: -100, labelSmoothing: G2P.labelSmoothing });
    loss.backward();
    opt.step();
    return toFloat32(loss)[0]!;
  };
}

export function g2pCases(quick: boolean): BenchCase<Size>[] {
  const size = quick ? G2P_SIZES.quick : G2P_SIZES.full;
  return [
    {
      id: "e2e/g2p-train",
      family: "e2e",
      title: `g2p training step (CLI model: ${size.layers}+${size.layers} layers, E=${size.dModel}, F=${size.ff}, batch ${size.batchSize} words)`,
      flops: 0,
      flopFormula: "n/a (throughput in words/s)",
      wordsPerIteration: size.batchSize,
      tolerance: { rtol: 2e-4, atol: 2e-5 },
      inputs: () => size,
      impls: {
        heed: async (ctx, s): Promise<Prepared> => {
          const step = await g2pTrainer(ctx, s);
          return {
            run: () => void step(),
            check: async () => {
              const fresh = await g2pTrainer(ctx, s);
              return [Float32Array.from({ length: 3 }, () => fresh())];
            },
          };
        },
      },
    },
  ];
}
