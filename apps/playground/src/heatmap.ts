/**
 * Draw a matrix (rows of numbers, e.g. attention weights in [0, 1]) as a heatmap on a canvas:
 * white = 0, dark blue = the largest value (or `max`). Row/column labels are drawn when given.
 */
export interface HeatmapOptions {
  cell?: number;
  max?: number;
  rowLabels?: string[];
  colLabels?: string[];
  caption?: string;
}

export function heatmap(matrix: number[][], options: HeatmapOptions = {}): HTMLElement {
  const { cell = 22, rowLabels, colLabels, caption } = options;
  const rows = matrix.length;
  const cols = matrix[0]?.length ?? 0;
  const max = options.max ?? Math.max(1e-12, ...matrix.flat().map(Math.abs));
  const padL = rowLabels ? 18 : 0;
  const padT = colLabels ? 16 : 0;
  const canvas = document.createElement("canvas");
  canvas.width = padL + cols * cell;
  canvas.height = padT + rows * cell;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = "11px monospace";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = matrix[i]![j]!;
      const t = Math.min(1, Math.abs(v) / max);
      ctx.fillStyle = v >= 0 ? `rgb(${Math.round(255 - 225 * t)},${Math.round(255 - 175 * t)},${Math.round(255 - 55 * t)})` : `rgb(255,${Math.round(255 - 200 * t)},${Math.round(255 - 200 * t)})`;
      ctx.fillRect(padL + j * cell, padT + i * cell, cell - 1, cell - 1);
    }
  }
  ctx.fillStyle = "#333";
  rowLabels?.forEach((l, i) => ctx.fillText(l, padL / 2, padT + i * cell + cell / 2));
  colLabels?.forEach((l, j) => ctx.fillText(l, padL + j * cell + cell / 2, padT / 2));
  canvas.dataset.heatmap = `${rows}x${cols}`;
  const fig = document.createElement("figure");
  fig.append(canvas);
  if (caption !== undefined) {
    const c = document.createElement("figcaption");
    c.textContent = caption;
    fig.append(c);
  }
  return fig;
}
