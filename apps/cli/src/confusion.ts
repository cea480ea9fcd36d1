/** A confusion matrix: counts[true class][predicted class], with the classes' names. */
export interface Confusion {
  labels: string[];
  counts: number[][];
}

/** Confusion counts [C, C] of class ids: row = true class, column = predicted class. */
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

/** Names up to this long head their own column; longer ones are numbered 1..C. */
const SHORT = 3;

/**
 * A confusion matrix as text (what `heed eval` prints for every classification task): one row
 * per true class, one column per predicted class, counts right-aligned, each row's share right
 * (recall) at the end. Short class names head the columns; long ones are numbered, and each row
 * shows its number and name. A class that is neither a target nor a prediction gets no row.
 *
 * @example
 * formatConfusion({ labels: ["0", "1"], counts: [[9, 1], [0, 10]] });
 * // true\pred   0   1  right
 * //         0   9   1  90.0%
 * //         1   0  10 100.0%
 */
export function formatConfusion({ labels, counts }: Confusion): string {
  const numbered = labels.some((l) => l.length > SHORT);
  const keys = numbered ? labels.map((_, i) => String(i + 1)) : labels;
  const width = Math.max(3, ...keys.map((k) => k.length), ...counts.flat().map((c) => String(c).length));
  const head = "true\\pred";
  const names = numbered ? labels.map((l, i) => `${i + 1} ${l}`) : labels;
  const nameWidth = Math.max(head.length, ...names.map((n) => n.length));
  const name = (s: string) => (numbered ? s.padEnd(nameWidth) : s.padStart(nameWidth));
  const cell = (s: string) => s.padStart(width + 1);
  const lines = [name(head) + keys.map(cell).join("") + "  right"];
  counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    if (total === 0 && counts.every((r) => (r[i] ?? 0) === 0)) return;
    const right = total === 0 ? "-" : `${((100 * (row[i] ?? 0)) / total).toFixed(1)}%`;
    lines.push(name(names[i] ?? "") + row.map((c) => cell(String(c))).join("") + right.padStart(7));
  });
  return lines.join("\n");
}
