/**
 * Call `body(inOffset, outOffset)` for every multi-index of `sizes` (row-major), given
 * per-dimension input and output strides: an odometer, so offsets are updated by
 * additions only. Used by the movement kernels to walk every dimension but the
 * innermost, whose run they copy with a plain loop.
 */
export function walk(sizes: readonly number[], inStr: readonly number[], outStr: readonly number[], body: (i: number, o: number) => void): void {
  const n = sizes.length;
  for (const s of sizes) if (s === 0) return;
  const idx = new Array<number>(n).fill(0);
  let i = 0;
  let o = 0;
  for (;;) {
    body(i, o);
    let d = n - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      i += inStr[d]!;
      o += outStr[d]!;
      if (idx[d]! < sizes[d]!) break;
      i -= inStr[d]! * sizes[d]!;
      o -= outStr[d]! * sizes[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
