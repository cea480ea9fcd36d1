/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure while running (missing or corrupt checkpoint, bad input file): exit code 1. */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance<T>(a: readonly T[], b: readonly T[]): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate to `word`, if it is close enough to be a likely typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance([...word], [...c]);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // close enough to be a typo, and not a rewrite of the whole word ('xx' is not a typo of 'bn')
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) && bestD < word.length ? best : undefined;
}
