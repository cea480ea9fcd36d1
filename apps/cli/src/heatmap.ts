import type { AttentionMaps } from "./task.js";

const SHADES = [" ", "░", "▒", "▓", "█"];

/** Attention weights as text heatmaps (one block per layer/head), for the terminal. */
export function heatmapTerminal(maps: AttentionMaps): string {
  const width = Math.max(...maps.rows.map((r) => r.length), 1);
  const blocks = maps.panels.map((p) => {
    const header = " ".repeat(width + 1) + maps.cols.map((c) => c.slice(0, 1)).join("");
    const rows = maps.rows.map((r, i) => {
      const cells = maps.cols.map((_, j) => {
        const w = p.weights[i]?.[j] ?? 0;
        return SHADES[Math.min(SHADES.length - 1, Math.round(w * (SHADES.length - 1)))];
      });
      return `${r.padStart(width)} ${cells.join("")}`;
    });
    return [p.title, header, ...rows].join("\n");
  });
  return blocks.join("\n\n");
}
