/** Confusion counts [C, C]: row = true class, column = predicted class. */
export function confusionMatrix(pred: readonly number[], target: readonly number[], classes: number): number[][] {
  if (pred.length !== target.length) throw new Error(`confusionMatrix: expected as many predictions as targets, got ${pred.length} and ${target.length}`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  target.forEach((t, i) => {
    const p = pred[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new Error(`confusionMatrix: class ids must be in 0..${classes - 1}, got target ${t} and prediction ${p} at ${i}`);
    m[t]![p]!++;
  });
  return m;
}

/** Share of the diagonal. */
export function accuracyOf(confusion: readonly (readonly number[])[]): number {
  let right = 0;
  let all = 0;
  confusion.forEach((row, i) => row.forEach((c, j) => {
    all += c;
    if (i === j) right += c;
  }));
  return all === 0 ? 0 : right / all;
}

/**
 * Macro-averaged F1: the unweighted mean of the per-class F1 = 2·TP / (2·TP + FP + FN) over the
 * classes that occur as a target or a prediction (scikit-learn's `f1_score(average="macro")`
 * with its default labels); a class never predicted correctly counts as 0.
 */
export function macroF1(confusion: readonly (readonly number[])[]): number {
  const C = confusion.length;
  let total = 0;
  let counted = 0;
  for (let c = 0; c < C; c++) {
    const tp = confusion[c]![c]!;
    let fn = 0;
    let fp = 0;
    for (let k = 0; k < C; k++) {
      if (k === c) continue;
      fn += confusion[c]![k]!;
      fp += confusion[k]![c]!;
    }
    if (tp + fn + fp === 0) continue;
    total += (2 * tp) / (2 * tp + fp + fn);
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}

/** The confusion matrix as text: one row per true class with its count, recall and predictions. */
export function formatConfusion(confusion: readonly (readonly number[])[], names: readonly string[]): string {
  const w = Math.max(...names.map((n, i) => `${i + 1} ${n}`.length), "true \\ predicted".length);
  const short = names.map((_, j) => String(j + 1).padStart(4));
  const lines = [`${"true \\ predicted".padEnd(w)} ${short.join("")}   n  recall`];
  confusion.forEach((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    if (n === 0 && confusion.every((r) => r[i] === 0)) return;
    const recall = n === 0 ? "    -" : `${((100 * row[i]!) / n).toFixed(0).padStart(4)}%`;
    lines.push(`${`${i + 1} ${names[i]}`.padEnd(w)} ${row.map((c) => String(c === 0 ? "." : c).padStart(4)).join("")} ${String(n).padStart(3)} ${recall}`);
  });
  return lines.join("\n");
}
