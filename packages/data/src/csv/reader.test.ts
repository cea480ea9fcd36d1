import { describe, expect, it } from "vitest";
import { CsvReader, parseCsv } from "./reader.js";

describe("parseCsv", () => {
  it("reads a header and numeric columns", () => {
    const t = parseCsv("x,y\n1,2.5\n-3,4e2\n");
    expect(t.header).toEqual(["x", "y"]);
    expect(t.rows).toBe(2);
    expect(Array.from(t.column("y"))).toEqual([2.5, 400]);
    const m = t.toTensor();
    expect(m.shape).toEqual([2, 2]);
    expect(m.toArray()).toEqual([[1, 2.5], [-3, 400]]);
  });

  it("selects columns by name or index, keeps text columns, accepts quotes, CRLF, BOM and blank lines", () => {
    const text = '\uFEFFdate,"name, full",v\r\n2020-01,"Smith, ""J""",1\r\n\r\n2020-02,Doe,2\r\n';
    const t = parseCsv(text, { columns: ["v"], text: ["date", 1] });
    expect(t.names).toEqual(["v"]);
    expect(t.text("date")).toEqual(["2020-01", "2020-02"]);
    expect(t.text("name, full")).toEqual(['Smith, "J"', "Doe"]);
    expect(Array.from(t.column("v"))).toEqual([1, 2]);
    expect(parseCsv("1;2\n3;4", { header: false, delimiter: ";", columns: [1] }).toTensor().toArray()).toEqual([[2], [4]]);
  });

  it("keeps a quoted field that spans lines and counts physical lines", () => {
    const t = parseCsv('note,v\n"two\nlines",1\n', { text: ["note"] });
    expect(t.text("note")).toEqual(["two\nlines"]);
    expect(() => parseCsv('note,v\n"two\nlines",1\nok,x\n', { text: ["note"] })).toThrow("parseCsv: line 4, column 2 ('v'): \"x\" is not a number");
  });

  it("reports malformed rows and non-numeric values with line and column — never NaN", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n")).toThrow("parseCsv: line 3 has 1 fields, expected 2 (columns: a, b)");
    expect(() => parseCsv("a,b\n1,2\n3,abc\n", { source: "data.csv" })).toThrow("data.csv: line 3, column 2 ('b'): \"abc\" is not a number");
    expect(() => parseCsv("a,b\n1,\n")).toThrow("parseCsv: line 2, column 2 ('b'): is empty (pass { missing } to allow empty fields)");
    expect(Array.from(parseCsv("a,b\n1,\n", { missing: Number.NaN }).column("b"))).toEqual([Number.NaN]);
    for (const bad of ["NaN", "Infinity", "0x10", "1,5", "1e", "--1"]) {
      expect(() => parseCsv(`a\n"${bad}"\n`)).toThrow(/line 2, column 1 \('a'\)/);
    }
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow("parseCsv: line 2: a quoted field is never closed");
    expect(() => parseCsv('a\n"1"x\n')).toThrow(/line 2, field 1: unexpected text after a closing quote/);
    expect(() => parseCsv('a\n1"\n')).toThrow(/line 2, field 1: a quote inside an unquoted field/);
    expect(() => parseCsv("a,b\n1,2\n", { columns: ["c"] })).toThrow("parseCsv: selected column \"c\" not found (columns: a, b)");
    expect(() => parseCsv("a,a\n1,2\n")).toThrow("parseCsv: column name 'a' appears twice in the header (columns: a, a)");
    expect(() => parseCsv("")).toThrow("parseCsv: no data (the input is empty)");
  });

  it("gives the same table whatever the chunk boundaries", () => {
    const text = 'a,b,c\n1,2,3\n"4",5.5,6\n7,8,9';
    const whole = parseCsv(text).toTensor().toArray();
    for (let size = 1; size <= text.length; size++) {
      const r = new CsvReader();
      for (let i = 0; i < text.length; i += size) r.write(text.slice(i, i + size));
      expect(r.end().toTensor().toArray()).toEqual(whole);
    }
  });
});
