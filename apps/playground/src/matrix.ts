import { tensor, type Tensor } from "@heed/tensor-core";

/** Parse "1 0 2\n0 1 1" (rows on lines, numbers split by spaces or commas) into a [rows, cols] float32 tensor. */
export function parseMatrix(text: string, what: string): Tensor {
  const rows = text.trim().split(/\n+/).map((line) => line.trim().split(/[\s,]+/).map(Number));
  const cols = rows[0]?.length ?? 0;
  if (rows.length === 0 || cols === 0) throw new Error(`${what}: expected at least one row of numbers`);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`${what}: row ${i + 1} has ${r.length} numbers, expected ${cols}`);
    if (r.some((v) => !Number.isFinite(v))) throw new Error(`${what}: row ${i + 1} has a value that is not a number`);
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
