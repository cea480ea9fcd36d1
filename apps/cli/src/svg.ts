/** Small hand-written SVG charts: a loss curve and attention heatmaps. */

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export interface Series {
  name: string;
  color: string;
  points: readonly [number, number][];
}

/** A line chart of one or more series (e.g. train and test loss per epoch). */
export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const W = 640, H = 400, left = 60, right = 20, top = 40, bottom = 50;
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs, 0), x1 = Math.max(...xs, 1);
  const y0 = Math.min(...ys, 0), y1 = Math.max(...ys, 1e-9);
  const sx = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * (W - left - right);
  const sy = (y: number) => H - bottom - ((y - y0) / (y1 - y0 || 1)) * (H - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    `<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${esc(yLabel)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<text x="${left - 6}" y="${sy(y) + 4}" text-anchor="end">${y.toPrecision(3)}</text>`);
    parts.push(`<line x1="${left}" y1="${sy(y)}" x2="${W - right}" y2="${sy(y)}" stroke="#eee"/>`);
    const x = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<text x="${sx(x)}" y="${H - bottom + 16}" text-anchor="middle">${Number(x.toPrecision(3))}</text>`);
  }
  series.forEach((s, k) => {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 0) {
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ")}"/>`);
    }
    parts.push(`<rect x="${W - right - 130}" y="${top + k * 18}" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${W - right - 112}" y="${top + k * 18 + 10}">${esc(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** Heatmaps of attention weights: one panel per (layer, head), rows = queries, columns = keys. */
export function heatmapsSvg(
  panels: readonly { title: string; weights: readonly (readonly number[])[] }[],
  rowLabels: readonly string[],
  colLabels: readonly string[],
): string {
  const cell = 18, pad = 70, gap = 30;
  const rows = rowLabels.length, cols = colLabels.length;
  const pw = pad + cols * cell + gap, ph = pad + rows * cell + gap;
  const perRow = Math.max(1, Math.min(panels.length, 4));
  const W = perRow * pw, H = Math.ceil(panels.length / perRow) * ph;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="monospace" font-size="11"><rect width="${W}" height="${H}" fill="white"/>`];
  panels.forEach((p, k) => {
    const ox = (k % perRow) * pw, oy = Math.floor(k / perRow) * ph;
    parts.push(`<text x="${ox + pad}" y="${oy + 14}" font-size="12">${esc(p.title)}</text>`);
    colLabels.forEach((c, j) => parts.push(`<text x="${ox + pad + j * cell + cell / 2}" y="${oy + pad - 6}" text-anchor="middle">${esc(c)}</text>`));
    rowLabels.forEach((r, i) => {
      parts.push(`<text x="${ox + pad - 6}" y="${oy + pad + i * cell + 13}" text-anchor="end">${esc(r)}</text>`);
      for (let j = 0; j < cols; j++) {
        const w = Math.max(0, Math.min(1, p.weights[i]?.[j] ?? 0));
        const shade = Math.round(255 * (1 - w));
        parts.push(`<rect x="${ox + pad + j * cell}" y="${oy + pad + i * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)"><title>${w.toFixed(3)}</title></rect>`);
      }
    });
  });
  parts.push("</svg>");
  return parts.join("\n");
}
