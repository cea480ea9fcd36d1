import { checkOptions, type OptionKeys } from "@heed/tensor-core";
import { CsvTable } from "./table.js";
import { parseNumber, splitCsvRecord } from "./split.js";

export interface CsvOptions {
  /** Field separator (default ","). */
  delimiter?: string;
  /** The first record is a header of column names (default true). */
  header?: boolean;
  /** Columns to parse as numbers, by name or 0-based index; default: every column not in `text`. */
  columns?: readonly (string | number)[];
  /** Columns to keep as strings (e.g. dates), by name or index. */
  text?: readonly (string | number)[];
  /** Value for an empty numeric field; default: an empty field is an error. */
  missing?: number;
  /** Name used in error messages (e.g. the file path). Default "parseCsv". */
  source?: string;
}

const CSV_KEYS: OptionKeys<CsvOptions> = { delimiter: true, header: true, columns: true, text: true, missing: true, source: true };

interface Column {
  index: number;
  name: string;
  numeric: boolean;
}

/**
 * An incremental CSV parser: `write` text chunks of any size (a file read piece by piece),
 * then `end()` gives the table. Only the selected columns are kept; every numeric field is
 * checked, and a malformed record or a non-numeric value throws with its line and column.
 * Blank lines are skipped; a BOM and CRLF line ends are accepted; quoted fields may span lines.
 */
export class CsvReader {
  readonly #opts: CsvOptions;
  readonly #where: string;
  #rest = "";
  #line = 0;
  #pending: { text: string; line: number } | null = null;
  #header: string[] | null = null;
  #selected: Column[] = [];
  #numbers: number[][] = [];
  #texts: string[][] = [];
  #rows = 0;

  constructor(csvOptions?: CsvOptions) {
    const options = checkOptions(csvOptions?.source ?? "parseCsv", csvOptions, CSV_KEYS);
    this.#opts = options;
    this.#where = options.source ?? "parseCsv";
    if ((options.delimiter ?? ",") === "") throw new Error(`${this.#where}: the delimiter must not be empty`);
  }

  write(chunk: string): this {
    let text = this.#rest + chunk;
    if (this.#line === 0 && this.#rest === "" && text.startsWith("\uFEFF")) text = text.slice(1);
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
      this.#physicalLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.#rest = text.slice(start);
    return this;
  }

  end(): CsvTable {
    if (this.#rest !== "") this.#physicalLine(this.#rest);
    this.#rest = "";
    if (this.#pending !== null) throw new Error(`${this.#where}: line ${this.#pending.line}: a quoted field is never closed`);
    if (this.#header === null) throw new Error(`${this.#where}: no data (the input is empty)`);
    const numeric = new Map<string, Float64Array>();
    const text = new Map<string, string[]>();
    this.#selected.forEach((c, k) => (c.numeric ? numeric.set(c.name, Float64Array.from(this.#numbers[k]!)) : text.set(c.name, this.#texts[k]!)));
    return new CsvTable(this.#header, this.#rows, numeric, text);
  }

  #physicalLine(raw: string): void {
    this.#line++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const record = this.#pending === null ? { text: line, line: this.#line } : { text: `${this.#pending.text}\n${line}`, line: this.#pending.line };
    if (this.#pending === null && line.trim() === "") return;
    const fields = splitCsvRecord(record.text, this.#opts.delimiter ?? ",", `${this.#where}: line ${record.line}`);
    this.#pending = fields === null ? record : null;
    if (fields !== null) this.#record(fields, record.line);
  }

  #record(fields: string[], line: number): void {
    if (this.#header === null) {
      const useHeader = this.#opts.header ?? true;
      this.#header = useHeader ? fields.map((f) => f.trim()) : fields.map((_, i) => String(i));
      this.#select();
      if (useHeader) return;
    }
    const header = this.#header;
    if (fields.length !== header.length) {
      throw new Error(`${this.#where}: line ${line} has ${fields.length} fields, expected ${header.length} (columns: ${header.join(", ")})`);
    }
    this.#selected.forEach((c, k) => {
      const field = fields[c.index]!;
      if (!c.numeric) {
        this.#texts[k]!.push(field);
        return;
      }
      const value = field.trim() === "" && this.#opts.missing !== undefined ? this.#opts.missing : parseNumber(field);
      if (value === undefined || value === Infinity) {
        const what = value === Infinity
          ? `${JSON.stringify(field)} is beyond the float64 range (it would be read as Infinity)`
          : field.trim() === "" ? "is empty (pass { missing } to allow empty fields)" : `${JSON.stringify(field)} is not a number`;
        throw new Error(`${this.#where}: line ${line}, column ${c.index + 1} ('${c.name}'): ${what}`);
      }
      this.#numbers[k]!.push(value);
    });
    this.#rows++;
  }

  #select(): void {
    const header = this.#header!;
    const resolve = (ref: string | number, option: string): number => {
      const i = typeof ref === "number" ? ref : header.indexOf(ref);
      if (!Number.isInteger(i) || i < 0 || i >= header.length) {
        throw new Error(`${this.#where}: ${option} column ${JSON.stringify(ref)} not found (columns: ${header.join(", ")})`);
      }
      return i;
    };
    const textIdx = new Set((this.#opts.text ?? []).map((r) => resolve(r, "text")));
    const numIdx = this.#opts.columns === undefined ? header.map((_, i) => i).filter((i) => !textIdx.has(i)) : this.#opts.columns.map((r) => resolve(r, "selected"));
    for (const i of numIdx) if (textIdx.has(i)) throw new Error(`${this.#where}: column '${header[i]}' is selected both as numeric and as text`);
    const all = [...new Set([...numIdx, ...textIdx])];
    const names = all.map((i) => header[i]!);
    const dup = names.find((n, k) => names.indexOf(n) !== k);
    if (dup !== undefined) throw new Error(`${this.#where}: column name '${dup}' appears twice in the header (columns: ${header.join(", ")})`);
    this.#selected = all.map((index) => ({ index, name: header[index]!, numeric: !textIdx.has(index) }));
    this.#numbers = this.#selected.map(() => []);
    this.#texts = this.#selected.map(() => []);
  }
}

/**
 * Parse CSV text into numeric (and optional text) columns.
 *
 * @example
 * const t = parseCsv("x,y\n1,2\n3,4\n");
 * t.toTensor().shape; // [2, 2]
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  return new CsvReader(options).write(text).end();
}
