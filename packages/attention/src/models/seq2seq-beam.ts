import { softmax, type Tensor } from "@heed/tensor-core";
import type { MaskedOutBoolMask } from "../functional/types.js";
import { Seq2SeqDecoding, type Seq2SeqDecoderModel } from "./seq2seq-decoding.js";

export interface BeamOptions {
  bosId: number;
  eosId: number;
  maxSteps: number;
  numBeams: number;
  srcKeyPaddingMask: MaskedOutBoolMask | null;
  useCache: boolean;
}

interface Hypothesis {
  /** Tokens so far, bos first. */
  ids: number[];
  score: number;
  done: boolean;
  /** Decoding row of the hypothesis it extends (live ones). */
  row: number;
}

/** A candidate extension, materialised into a Hypothesis only if it is kept. */
interface Candidate {
  parent: Hypothesis;
  /** The new token (−1: `parent` itself, an already finished hypothesis). */
  token: number;
  score: number;
  length: number;
  row: number;
}

/**
 * Beam search over every row of src [B, S] at once: each row keeps its own `numBeams` best
 * hypotheses; at each step every live hypothesis of every row is one decoding row, extended by
 * every token, and each source row keeps the `numBeams` best of its candidates by total
 * log-probability divided by length (bos counted), so that short hypotheses do not win by
 * default. Source rows whose hypotheses have all finished leave the batch. Returns each row's
 * best hypothesis' ids (after bos, before eos). The same hypotheses as searching one row at a
 * time: candidates are ordered (finished ones, then live ones by token) and sorted stably as that
 * search does.
 */
export function beamSearch(model: Seq2SeqDecoderModel, src: Tensor, o: BeamOptions): number[][] {
  const B = src.shape[0]!;
  const width = o.numBeams;
  const run = new Seq2SeqDecoding(model, src, { srcKeyPaddingMask: o.srcKeyPaddingMask, useCache: o.useCache });
  const beams: Hypothesis[][] = Array.from({ length: B }, (_, b) => [{ ids: [o.bosId], score: 0, done: false, row: b }]);
  let active = Array.from({ length: B }, (_, b) => b); // source rows with a live hypothesis
  for (let step = 0; step < o.maxSteps && active.length > 0; step++) {
    const live = active.map((b) => beams[b]!.filter((h) => !h.done));
    const parents = live.flat();
    if (step > 0) run.selectRows(Int32Array.from(parents, (h) => h.row));
    const probs = softmax(run.step(Int32Array.from(parents, (h) => h.ids.at(-1)!)), -1).data;
    const V = probs.length / Math.max(parents.length, 1);
    let r = 0; // decoding row of the next live hypothesis
    active.forEach((b, a) => {
      const candidates: Candidate[] = beams[b]!.filter((h) => h.done).map((h) => ({ parent: h, token: -1, score: h.score, length: h.ids.length, row: 0 }));
      for (const h of live[a]!) {
        for (let v = 0; v < V; v++) {
          const p = probs[r * V + v]!;
          if (p > 0) candidates.push({ parent: h, token: v, score: h.score + Math.log(p), length: h.ids.length + 1, row: r });
        }
        r++;
      }
      candidates.sort((x, y) => y.score / y.length - x.score / x.length);
      beams[b] = candidates.slice(0, width).map((c) => (c.token < 0 ? c.parent : { ids: [...c.parent.ids, c.token], score: c.score, done: c.token === o.eosId, row: c.row }));
    });
    active = active.filter((b) => beams[b]!.some((h) => !h.done));
  }
  run.dispose();
  return beams.map((hs) => {
    const best = hs[0]!.ids.slice(1);
    return best.at(-1) === o.eosId ? best.slice(0, -1) : best;
  });
}
