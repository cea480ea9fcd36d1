/**
 * The two float64 tile products the fused attention kernels are made of. Both keep several
 * accumulators per load so V8 emits tight loops; rows are D-wide and contiguous.
 */

/**
 * out[r·cols + c] = a[(a0 + r)·D : …] · b[(b0 + c)·D : …] for r < rows, c < cols
 * (2 rows × 2 columns per pass: 4 accumulators share each load; an odd edge is computed twice).
 */
export function dotTile(a: Float64Array, a0: number, b: Float64Array, b0: number, rows: number, cols: number, D: number, out: Float64Array): void {
  for (let r = 0; r < rows; r += 2) {
    const r1 = Math.min(r + 1, rows - 1);
    const pa = (a0 + r) * D;
    const pb = (a0 + r1) * D;
    for (let c = 0; c < cols; c += 2) {
      const c1 = Math.min(c + 1, cols - 1);
      const ka = (b0 + c) * D;
      const kb = (b0 + c1) * D;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let e = 0; e < D; e++) {
        const x0 = a[pa + e]!, x1 = a[pb + e]!, y0 = b[ka + e]!, y1 = b[kb + e]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      out[r * cols + c] = s00;
      out[r * cols + c1] = s01;
      out[r1 * cols + c] = s10;
      out[r1 * cols + c1] = s11;
    }
  }
}

/**
 * acc[(acc0 + x)·D + e] += scale · Σ_y w[x·sx + y·sy] · v[(v0 + y)·D + e] for x < nx, y < ny:
 * a tile of weights times a block of rows. (sx, sy) = (cols, 1) reads w as is, (1, cols)
 * reads it transposed. Four rows of v per pass: acc is loaded and stored once per four. Zero
 * weights are not skipped, so a NaN in v propagates exactly as in a plain matmul (0·NaN = NaN).
 */
export function accumulate(
  acc: Float64Array, acc0: number, w: Float64Array, sx: number, sy: number, v: Float64Array, v0: number, nx: number, ny: number, D: number, scale = 1,
): void {
  const y4 = ny - (ny % 4);
  for (let x = 0; x < nx; x++) {
    const a = (acc0 + x) * D;
    const wx = x * sx;
    for (let y = 0; y < y4; y += 4) {
      const w0 = w[wx + y * sy]! * scale, w1 = w[wx + (y + 1) * sy]! * scale;
      const w2 = w[wx + (y + 2) * sy]! * scale, w3 = w[wx + (y + 3) * sy]! * scale;
      const b0 = (v0 + y) * D, b1 = b0 + D, b2 = b1 + D, b3 = b2 + D;
      for (let e = 0; e < D; e++) acc[a + e]! += w0 * v[b0 + e]! + w1 * v[b1 + e]! + w2 * v[b2 + e]! + w3 * v[b3 + e]!;
    }
    for (let y = y4; y < ny; y++) {
      const wy = w[wx + y * sy]! * scale;
      const by = (v0 + y) * D;
      for (let e = 0; e < D; e++) acc[a + e]! += wy * v[by + e]!;
    }
  }
}
