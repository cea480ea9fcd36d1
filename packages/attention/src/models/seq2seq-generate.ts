import { argmax, checkOptions, formatShape, type OptionKeys, type Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { beamSearch } from "./seq2seq-beam.js";
import { Seq2SeqDecoding, type Seq2SeqDecoderModel } from "./seq2seq-decoding.js";

export interface GenerateOptions {
  /** Start-of-sequence id fed at position 0. */
  bosId: number;
  /** End-of-sequence id: a row stops when it produces it (it is not returned). */
  eosId: number;
  /** Most tokens produced per row, eos included. */
  maxSteps: number;
  /** [B, S]: TRUE marks padded source positions. */
  srcKeyPaddingMask?: MaskedOutBoolMask | null;
  /** Beam width (default 1 = greedy search). */
  numBeams?: number;
  /** Decode with the key/value cache (default true); false re-decodes the prefix each step (same tokens, slower). */
  useCache?: boolean;
}

const FN = "Seq2SeqTransformer.generate";
const GENERATE_KEYS: OptionKeys<GenerateOptions> = { bosId: true, eosId: true, maxSteps: true, srcKeyPaddingMask: true, numBeams: true, useCache: true };

function check(src: Tensor, o: GenerateOptions, vocab: number): void {
  if (src.rank !== 2 || src.dtype !== "int32") throw new Error(`${FN}: src must be int32 token ids [B, S], got ${src.dtype} ${formatShape(src.shape)}`);
  for (const [name, id] of [["bosId", o.bosId], ["eosId", o.eosId]] as const) {
    if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new Error(`${FN}: ${name} must be an id in [0, ${vocab}) (tgtVocab), got ${id}`);
  }
  if (!Number.isInteger(o.maxSteps) || o.maxSteps < 1) throw new Error(`${FN}: maxSteps must be a positive integer, got ${o.maxSteps}`);
  const beams = o.numBeams ?? 1;
  if (!Number.isInteger(beams) || beams < 1) throw new Error(`${FN}: numBeams must be a positive integer, got ${beams}`);
  const pad = o.srcKeyPaddingMask ?? null;
  if (pad !== null && (pad.rank !== 2 || pad.shape[0] !== src.shape[0] || pad.shape[1] !== src.shape[1])) {
    throw new Error(`${FN}: srcKeyPaddingMask must be [B, S] = ${formatShape(src.shape)}, got ${formatShape(pad.shape)}`);
  }
}

/**
 * Greedy or beam-search decoding of every row of src [B, S]: the ids after bos, up to (not
 * including) eos, at most `maxSteps` tokens. Run in eval mode and without gradients (`noGrad`).
 * Exported as `generateSeq2Seq` for any `Seq2SeqDecoderModel` over a target vocabulary of `vocab`
 * ids (`Seq2SeqTransformer.generate` calls it on itself); a model whose `decode` returns
 * log-probabilities (e.g. an ensemble's mean) decodes the same way as one returning logits.
 *
 * @example
 * const ids = generateSeq2Seq(model, model.options.tgtVocab, src, { bosId: 1, eosId: 2, maxSteps: 20 });
 */
export function generate(model: Seq2SeqDecoderModel, vocab: number, src: Tensor, generateOptions: GenerateOptions): number[][] {
  const options = checkOptions(FN, generateOptions, GENERATE_KEYS);
  check(src, options, vocab);
  const numBeams = options.numBeams ?? 1;
  if (numBeams === 1) return greedy(model, src, options);
  return beamSearch(model, src, { ...options, numBeams, srcKeyPaddingMask: options.srcKeyPaddingMask ?? null, useCache: options.useCache ?? true });
}

/** What {@link decodeTokens} needs: `GenerateOptions` without the beam width. */
export type TokenDecodingOptions = Pick<GenerateOptions, "bosId" | "eosId" | "maxSteps" | "srcKeyPaddingMask" | "useCache">;

/**
 * Chooses the next token of every decoded row from the decoder's scores for the last position
 * ([R, V]: logits or log-probabilities): `rows[r]` is the original row of decoded row r, or −1
 * once it has finished (its choice is ignored; a chooser that draws random numbers should draw
 * none for it).
 */
export type TokenChooser = (scores: Tensor, rows: Int32Array) => ArrayLike<number>;

function greedy(model: Seq2SeqDecoderModel, src: Tensor, o: GenerateOptions): number[][] {
  return decodeTokens(model, src, o, (scores) => argmax(scores, -1).data);
}

/**
 * One token per step for every row of src [B, S], each chosen by `choose` (greedy search takes
 * the argmax; a sampler draws from the softmax): the ids after bos, up to (not including) eos, at
 * most `maxSteps` tokens. Finished rows are fed `bosId` (their outputs are ignored) until a
 * quarter of the batch has finished; then they leave it (gathering the caches costs about one
 * step, so it is not done for every finished row). Run in eval mode inside `noGrad`.
 *
 * @example
 * decodeTokens(model, src, { bosId: 1, eosId: 2, maxSteps: 20 }, (scores) => argmax(scores, -1).data); // greedy
 */
export function decodeTokens(model: Seq2SeqDecoderModel, src: Tensor, o: TokenDecodingOptions, choose: TokenChooser): number[][] {
  const B = src.shape[0]!;
  const run = new Seq2SeqDecoding(model, src, { srcKeyPaddingMask: o.srcKeyPaddingMask ?? null, useCache: o.useCache ?? true });
  const out: number[][] = Array.from({ length: B }, () => []);
  let rows = Int32Array.from({ length: B }, (_, b) => b); // original row of each decoded row, −1 once finished
  let ids = new Int32Array(B).fill(o.bosId);
  let live = B;
  for (let step = 0; step < o.maxSteps && live > 0; step++) {
    const next = choose(run.step(ids), rows);
    rows.forEach((row, r) => {
      if (row < 0) return;
      const id = next[r]!;
      if (id !== o.eosId) {
        out[row]!.push(id);
        ids[r] = id;
      } else {
        rows[r] = -1;
        ids[r] = o.bosId;
        live--;
      }
    });
    if (live > 0 && rows.length - live >= rows.length / 4) {
      const keep = Int32Array.from(rows.keys()).filter((r) => rows[r]! >= 0);
      run.selectRows(keep);
      ids = Int32Array.from(keep, (r) => ids[r]!);
      rows = Int32Array.from(keep, (r) => rows[r]!);
    }
  }
  run.dispose();
  return out;
}
