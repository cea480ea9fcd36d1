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
