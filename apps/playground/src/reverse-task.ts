import { Seq2SeqTransformer } from "@heed/attention";
import { Adam, crossEntropy } from "@heed/nn";
import { Generator, reshape, tensor, type Tensor } from "@heed/tensor-core";

/**
 * The page's training preset: reverse a word over the letters a–h ("abcd" → "dcba"). A tiny
 * encoder–decoder learns it in well under a minute on one thread, and its cross-attention shows
 * the anti-diagonal: output letter i looks at input letter n-1-i.
 */
export const LETTERS = "abcdefgh";
export const BOS = 1;
export const EOS = 2;
const OFFSET = 3; // 0 = pad, 1 = bos, 2 = eos
export const VOCAB = OFFSET + LETTERS.length;
export const MAX_LEN = 6;

export function encodeWord(word: string): number[] {
  const w = word.trim().toLowerCase();
  if (w.length === 0 || w.length > MAX_LEN) throw new Error(`reverse: word length ${w.length}, expected 1 to ${MAX_LEN} letters`);
  return [...w].map((ch) => {
    const i = LETTERS.indexOf(ch);
    if (i < 0) throw new Error(`reverse: letter '${ch}' is not one of ${LETTERS}`);
    return OFFSET + i;
  });
}

export const decodeIds = (ids: number[]): string => ids.map((i) => LETTERS[i - OFFSET] ?? "?").join("");

export class ReverseTrainer {
  readonly model: Seq2SeqTransformer;
  readonly #opt: Adam;
  readonly #rng: Generator;
  steps = 0;
  examples = 0;

  constructor(seed = 0, readonly batchSize = 32) {
    this.#rng = new Generator(seed);
    this.model = new Seq2SeqTransformer({ srcVocab: VOCAB, tgtVocab: VOCAB, dModel: 32, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64, dropout: 0, rng: this.#rng });
    this.#opt = new Adam(this.model.parameters(), { lr: 3e-3 });
  }

  /** One optimiser step on a batch of random words of one random length (no padding); returns the loss. */
  step(): number {
    const B = this.batchSize;
    const n = 2 + Math.floor(this.#rng.nextFloat() * (MAX_LEN - 1));
    const src: number[][] = [];
    for (let b = 0; b < B; b++) src.push(Array.from({ length: n }, () => OFFSET + Math.floor(this.#rng.nextFloat() * LETTERS.length)));
    const rev = src.map((r) => [...r].reverse());
    const tgtIn = tensor(rev.map((r) => [BOS, ...r]), undefined, "int32");
    const tgtOut = tensor(rev.map((r) => [...r, EOS]), undefined, "int32");
    const logits = this.model.forward(tensor(src, undefined, "int32"), tgtIn);
    const loss = crossEntropy(reshape(logits, [B * (n + 1), VOCAB]), reshape(tgtOut, [B * (n + 1)]));
    loss.backward();
    this.#opt.step();
    this.#opt.zeroGrad();
    this.steps++;
    this.examples += B;
    return loss.item();
  }

  /** Greedy output for `word` and the cross-attention weights of each head [H][T][S] (last decoder layer). */
  predict(word: string): { output: string; heads: Tensor } {
    const src = tensor([encodeWord(word)], undefined, "int32");
    this.model.eval();
    const ids = this.model.generate(src, { bosId: BOS, eosId: EOS, maxSteps: MAX_LEN + 1 })[0]!;
    const maps = this.model.attentionMaps(src, tensor([[BOS, ...ids]], undefined, "int32"));
    this.model.train();
    return { output: decodeIds(ids), heads: maps.cross[maps.cross.length - 1]! };
  }
}
