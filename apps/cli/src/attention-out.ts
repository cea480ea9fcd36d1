import { UsageError } from "./errors.js";
import { writeTextAtomic } from "./files.js";
import { encodePng, writePngAtomic } from "./png.js";
import { attentionImageRgba, heatmapsRgba } from "./png-render.js";
import { heatmapsSvg } from "./svg.js";
import type { AttentionMaps } from "./task.js";

/** `heed attention --out FILE`: the file type comes from the extension, .png or .svg. */
export function checkAttentionOut(out: string): "png" | "svg" {
  const ext = /\.(png|svg)$/i.exec(out)?.[1]?.toLowerCase();
  if (ext !== "png" && ext !== "svg") throw new UsageError(`attention: --out must name a .png or .svg file, got '${out}'`);
  return ext;
}

/**
 * Write the attention maps as a PNG (pngjs) or an SVG, atomically. An image task's map (with
 * `maps.image`) is drawn over the image; in SVG that picture is embedded as a PNG.
 */
export function writeAttentionOut(out: string, maps: AttentionMaps): void {
  const kind = checkAttentionOut(out);
  const raster = maps.image !== undefined ? attentionImageRgba(maps.image) : null;
  if (kind === "png") writePngAtomic(out, raster ?? heatmapsRgba(maps));
  else if (raster === null) writeTextAtomic(out, heatmapsSvg(maps.panels, maps.rows, maps.cols));
  else {
    const href = `data:image/png;base64,${encodePng(raster).toString("base64")}`;
    const { width: W, height: H } = raster;
    const title = maps.image!.title.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    writeTextAtomic(out, `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 24}" font-family="sans-serif" font-size="13">\n<rect width="${W}" height="${H + 24}" fill="white"/>\n<text x="4" y="16">${title}</text>\n<image x="0" y="24" width="${W}" height="${H}" href="${href}"/>\n</svg>\n`);
  }
}
