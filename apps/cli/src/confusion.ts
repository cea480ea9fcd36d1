/**
 * A confusion matrix as text: one row per true class, one column per predicted class, counts
 * right-aligned, with each row's accuracy (recall) at the end.
 *
 * @example
 * formatConfusion({ labels: ["0", "1"], counts: [[9, 1], [0, 10]] });
 * // true\pred   0   1  right
 * //         0   9   1  90.0%
 * //         1   0  10 100.0%
 */
export function formatConfusion({ labels, counts }: { labels: readonly string[]; counts: readonly (readonly number[])[] }): string {
  const width = Math.max(3, ...labels.map((l) => l.length), ...counts.flat().map((c) => String(c).length));
  const head = "true\\pred";
  const cell = (s: string) => s.padStart(width + 1);
  const lines = [head + labels.map(cell).join("") + "  right"];
  counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const right = total === 0 ? "-" : `${((100 * (row[i] ?? 0)) / total).toFixed(1)}%`;
    lines.push((labels[i] ?? "").padStart(head.length) + row.map((c) => cell(String(c))).join("") + right.padStart(7));
  });
  return lines.join("\n");
}
