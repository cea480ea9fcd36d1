/**
 * Split one CSV record into fields (RFC 4180: fields may be quoted with `"`, a quote inside
 * a quoted field is doubled). Returns `null` when a quoted field is still open at the end,
 * i.e. the record continues on the next line. `where` names the record in errors.
 */
export function splitCsvRecord(record: string, delimiter: string, where: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (record[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = record.indexOf('"', j);
        if (q < 0) return null;
        value += record.slice(j, q);
        if (record[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      if (j < record.length && !record.startsWith(delimiter, j)) {
        throw new Error(`${where}, field ${fields.length + 1}: unexpected text after a closing quote: ${JSON.stringify(record.slice(i, j + 10))}`);
      }
      fields.push(value);
      if (j >= record.length) return fields;
      i = j + delimiter.length;
    } else {
      const d = record.indexOf(delimiter, i);
      const end = d < 0 ? record.length : d;
      const value = record.slice(i, end);
      if (value.includes('"')) throw new Error(`${where}, field ${fields.length + 1}: a quote inside an unquoted field: ${JSON.stringify(value)}`);
      fields.push(value);
      if (d < 0) return fields;
      i = d + delimiter.length;
    }
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A strict decimal number (no empty strings, hex, "Infinity" or "NaN"); `undefined` if `text` is
 * not one, and `Infinity` (never returned otherwise) for a decimal beyond the float64 range such
 * as `1e400`, which the caller reports as an overflow.
 */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : Infinity;
}
