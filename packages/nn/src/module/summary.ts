/**
 * What `summarize` reads of a module. Structural, so this file needs nothing from module.ts
 * (which calls `summarize` in `Module.summary()`): no import cycle.
 */
export interface SummarizedModule {
  namedModules(): [string, SummarizedModule][];
  extraRepr(): string;
  readonly typeName: string;
  numParameters(options?: { trainableOnly?: boolean }): number;
}

/** Format a count with thousands separators (1234567 -> "1,234,567"). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A table of modules: dotted name (indented by depth), type with settings, and the number of
 * parameter elements in that module and its descendants; then the total and trainable count.
 */
export function summarize(root: SummarizedModule): string {
  const rows: [string, string, string][] = [["name", "type", "params"]];
  for (const [name, m] of root.namedModules()) {
    const depth = name === "" ? 0 : name.split(".").length;
    const label = name === "" ? "(root)" : name;
    const extra = m.extraRepr();
    rows.push([`${"  ".repeat(depth)}${label}`, extra === "" ? m.typeName : `${m.typeName}(${extra})`, formatCount(m.numParameters())]);
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: [string, string, string]): string => `${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padStart(widths[2]!)}`;
  const rule = "-".repeat(widths[0]! + widths[1]! + widths[2]! + 4);
  const total = root.numParameters();
  const trainable = root.numParameters({ trainableOnly: true });
  return [line(rows[0]!), rule, ...rows.slice(1).map(line), rule, `total: ${formatCount(total)} parameters (${formatCount(trainable)} trainable)`].join("\n");
}
