import { tensor, type Tensor } from "@heed/tensor-core";

/**
 * Parse "1 0 2\n0 1 1" (rows on lines, numbers split by spaces or commas; blank lines skipped)
 * into a [rows, cols] float32 tensor. Errors name the box (`what`), the row and the text that is wrong.
 */
export function parseMatrix(text: string, what: string): Tensor {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  if (lines.length === 0) throw new Error(`${what}: the box is empty, expected one row of numbers per line (e.g. "1 0 1 0")`);
  const rows = lines.map((line, i) => line.split(/[\s,]+/).filter((t) => t !== "").map((t) => {
    const v = Number(t);
    if (!Number.isFinite(v)) throw new Error(`${what}: row ${i + 1} has '${t}', which is not a finite number`);
    return v;
  }));
  const cols = rows[0]!.length;
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`${what}: row ${i + 1} has ${r.length} numbers, expected ${cols} (as row 1)`);
  });
  return tensor(rows, undefined, "float32");
}

/** The last two axes of `t` (leading axes indexed by `lead`) as nested rows. */
export function rowsOf(t: Tensor, lead: number[] = []): number[][] {
  const shape = t.shape;
  const r = shape[shape.length - 2]!;
  const c = shape[shape.length - 1]!;
  let offset = 0;
  let stride = r * c;
  for (let a = lead.length - 1; a >= 0; a--) {
    offset += lead[a]! * stride;
    stride *= shape[a]!;
  }
  const data = t.data;
  return Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => Number(data[offset + i * c + j])));
}
