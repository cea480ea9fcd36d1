import { Tensor, allocate, type DType } from "@heed/tensor-core";

/** Parsed CSV columns: numbers in Float64Array columns, text columns as strings. */
export class CsvTable {
  constructor(
    /** All column names of the file (from the header, or "0", "1", … without one). */
    readonly header: readonly string[],
    /** Number of data rows. */
    readonly rows: number,
    readonly numericColumns: ReadonlyMap<string, Float64Array>,
    readonly textColumns: ReadonlyMap<string, string[]>,
  ) {}

  /** Names of the numeric columns kept, in the order selected (file order by default). */
  get names(): string[] {
    return [...this.numericColumns.keys()];
  }

  /** A numeric column (Float64Array of length `rows`). */
  column(name: string): Float64Array {
    const c = this.numericColumns.get(name);
    if (c === undefined) throw new Error(`CsvTable.column: no numeric column '${name}' (numeric: ${this.names.join(", ") || "none"})`);
    return c;
  }

  /** A text column (kept as strings through the `text` option). */
  text(name: string): string[] {
    const c = this.textColumns.get(name);
    if (c === undefined) throw new Error(`CsvTable.text: no text column '${name}' (text: ${[...this.textColumns.keys()].join(", ") || "none"})`);
    return c;
  }

  /** Numeric columns as a [rows, C] tensor (default: all numeric columns, float32). */
  toTensor(names: readonly string[] = this.names, dtype: DType = "float32"): Tensor {
    const cols = names.map((n) => this.column(n));
    const C = cols.length;
    const data = allocate(dtype, this.rows * C);
    for (let r = 0; r < this.rows; r++) for (let c = 0; c < C; c++) data[r * C + c] = cols[c]![r]!;
    return new Tensor(data, [this.rows, C], dtype);
  }
}
