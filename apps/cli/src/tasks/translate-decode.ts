/** Longest run of one character a translation keeps ("亲亲" stays; a greedy "亲亲亲亲…" loop is cut to "亲亲"). */
export const MAX_RUN = 2;

/**
 * Repetition control for decoded translations: every run of more than `max` identical characters
 * (code points) is cut to `max`. A character-level decoder that is unsure of a phrase can loop on
 * one character until the step limit ("kissing face" → 64 × 亲), which ruins chrF's precision for
 * the whole corpus; no target phrase of emojibase-data has a run of three. Applied after greedy
 * or beam decoding, by `heed predict` and the ONNX Runtime path alike.
 *
 * @example
 * collapseRuns("亲亲亲亲"); // "亲亲"
 */
export function collapseRuns(text: string, max = MAX_RUN): string {
  if (!Number.isInteger(max) || max < 1) throw new Error(`collapseRuns: max must be a positive integer, got ${max}`);
  let out = "";
  let run = 0;
  let prev = "";
  for (const c of text) {
    run = c === prev ? run + 1 : 1;
    prev = c;
    if (run <= max) out += c;
  }
  return out;
}
