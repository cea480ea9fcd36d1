import type { AttentionMaps } from "./task.js";

const SHADES = [" ", "░", "▒", "▓", "█"];
const KEYS = "123456789abcdefghijklmnopqrstuvwxyz";

/**
 * Attention weights as text heatmaps (one block per layer/head), for the terminal: rows are
 * queries, columns keys, shade = weight. Columns are labelled by their text when every label
 * is one character (letters of a word), otherwise by a key listed under the maps.
 */
export function heatmapTerminal(maps: AttentionMaps): string {
  const width = Math.max(...maps.rows.map((r) => r.length), 1);
  const short = maps.cols.every((c) => [...c].length === 1);
  const colKeys = maps.cols.map((c, j) => (short ? c : (KEYS[j] ?? "?")));
  const blocks = maps.panels.map((p) => {
    const header = " ".repeat(width + 1) + colKeys.join("");
    const rows = maps.rows.map((r, i) => {
      const cells = maps.cols.map((_, j) => {
        const w = p.weights[i]?.[j] ?? 0;
        return SHADES[Math.min(SHADES.length - 1, Math.round(w * (SHADES.length - 1)))];
      });
      return `${r.padStart(width)} ${cells.join("")}`;
    });
    return [p.title, header, ...rows].join("\n");
  });
  if (!short) blocks.push("columns: " + maps.cols.map((c, j) => `${colKeys[j]}=${c}`).join("  "));
  return blocks.join("\n\n");
}
