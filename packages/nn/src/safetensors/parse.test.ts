import { describe, expect, it } from "vitest";
import { parseSafetensors } from "./parse.js";

/** A file from a header object or raw header text, padded with spaces, plus `data` bytes. */
function file(header: unknown, data: number[] | Uint8Array = [], { raw = false, declaredLength }: { raw?: boolean; declaredLength?: number } = {}): Uint8Array {
  const text = raw ? (header as string) : JSON.stringify(header);
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, declaredLength ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const t = (dtype: string, shape: number[], begin: number, end: number): object => ({ dtype, shape, data_offsets: [begin, end] });

describe("parseSafetensors: other writers' files", () => {
  it("reads F16, BF16, I64 and small integer dtypes, in any header order", () => {
    const data = new Uint8Array(2 * 4 + 2 * 2 + 16 + 2);
    const v = new DataView(data.buffer);
    [0x3c00, 0xc000, 0x7c00, 0x0001].forEach((h, i) => v.setUint16(2 * i, h, true)); // 1, -2, inf, 2^-24
    [0x3f80, 0xbfc0].forEach((h, i) => v.setUint16(8 + 2 * i, h, true)); // 1, -1.5
    v.setBigInt64(12, -5n, true);
    v.setBigInt64(20, 2147483647n, true);
    data[28] = 255;
    data[29] = 7;
    const header = { u: t("U8", [2], 28, 30), h: t("F16", [4], 0, 8), l: t("I64", [2], 12, 28), b: t("BF16", [2], 8, 12) };
    const { tensors } = parseSafetensors(file(header, data));
    expect([...tensors.keys()]).toEqual(["h", "b", "l", "u"]);
    expect([...tensors.get("h")!.data]).toEqual([1, -2, Infinity, 2 ** -24]);
    expect(tensors.get("h")!.dtype).toBe("float32");
    expect([...tensors.get("b")!.data]).toEqual([1, -1.5]);
    expect(tensors.get("l")!.dtype).toBe("int32");
    expect([...tensors.get("l")!.data]).toEqual([-5, 2147483647]);
    expect([...tensors.get("u")!.data]).toEqual([255, 7]);
  });

  it("accepts zero-size tensors sharing an offset", () => {
    const { tensors } = parseSafetensors(file({ a: t("F32", [0], 0, 0), b: t("F32", [1], 0, 4), c: t("I32", [2, 0], 4, 4) }, [0, 0, 128, 63]));
    expect(tensors.get("b")!.item()).toBe(1);
    expect(tensors.get("c")!.shape).toEqual([2, 0]);
  });
});

describe("parseSafetensors: malformed and hostile files", () => {
  const four = [0, 0, 0, 0];
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty file", new Uint8Array(0), /too short for the 8-byte header length/],
    ["7 bytes", new Uint8Array(7), /too short/],
    ["header length beyond the file", file({}, [], { declaredLength: 1000 }), /header length 1000 runs past the end/],
    ["header over 100 MB", file({}, [], { declaredLength: 100_000_001 }), /exceeds the 100000000-byte limit/],
    ["header length with high bits set", (() => { const f = file({}); f[7] = 1; return f; })(), /exceeds the 100000000-byte limit/],
    ["invalid UTF-8", (() => { const f = file('{"a":1}', [], { raw: true }); f[10] = 0xff; return f; })(), /not valid UTF-8/],
    ["invalid JSON", file('{"a": {', [], { raw: true }), /not valid JSON/],
    ["header not starting with {", file(' {"a":1}', [], { raw: true }), /must start with '\{'/],
    ["JSON array", file('[1,2]', [], { raw: true }), /must start with '\{'/],
    ["tensor entry not an object", file({ a: 3 }), /tensor 'a' must be an object/],
    ["unknown dtype", file({ a: t("F128", [1], 0, 16) }, new Array<number>(16).fill(0)), /unknown dtype "F128"/],
    ["unsupported dtype", file({ a: t("F8_E4M3", [1], 0, 1) }, [0]), /dtype F8_E4M3, which Heed cannot load/],
    ["negative dimension", file({ a: t("F32", [-1], 0, 4) }, four), /invalid shape \[-1\]/],
    ["fractional dimension", file({ a: t("F32", [1.5], 0, 4) }, four), /invalid shape/],
    ["string dimension", file({ a: { dtype: "F32", shape: ["1"], data_offsets: [0, 4] } }, four), /invalid shape/],
    ["missing shape", file({ a: { dtype: "F32", data_offsets: [0, 4] } }, four), /invalid shape/],
    ["offsets not a pair", file({ a: { dtype: "F32", shape: [1], data_offsets: [0] } }, four), /invalid data_offsets/],
    ["negative offset", file({ a: t("F32", [1], -4, 0) }, four), /invalid data_offsets/],
    ["end before begin", file({ a: t("F32", [1], 4, 0) }, four), /end before begin/],
    ["offset beyond the data", file({ a: t("F32", [1], 0, 4000000000) }, four), /out of range \(the data section has 4 bytes\)/],
    ["huge offset", file({ a: t("F32", [1], 0, 1e300) }, four), /invalid data_offsets/],
    ["shape × dtype mismatch", file({ a: t("F32", [2], 0, 4) }, four), /shape \[2\] × F32 \(4 bytes\) needs 8 bytes but data_offsets \[0,4\] hold 4/],
    ["huge shape", file({ a: t("F32", [4294967296, 4294967296], 0, 4) }, four), /needs .* bytes but data_offsets \[0,4\] hold 4/],
    ["overlapping tensors", file({ a: t("F32", [2], 0, 8), b: t("F32", [1], 4, 8) }, [...four, ...four]), /overlap the previous tensor/],
    ["gap between tensors", file({ a: t("F32", [1], 0, 4), b: t("F32", [1], 8, 12) }, new Array<number>(12).fill(0)), /leave a gap after byte 4/],
    ["data not covered", file({ a: t("F32", [1], 0, 4) }, [...four, ...four]), /cover 4 bytes but the data section has 8 bytes/],
    ["first tensor not at 0", file({ a: t("F32", [1], 4, 8) }, [...four, ...four]), /leave a gap after byte 0/],
    ["metadata not strings", file({ __metadata__: { a: 1 } }), /__metadata__ value for 'a' must be a string/],
    ["metadata not an object", file({ __metadata__: "x" }), /__metadata__ must be an object/],
    ["I64 that does not fit int32", file({ a: t("I64", [1], 0, 8) }, [0, 0, 0, 0, 1, 0, 0, 0]), /value 4294967296 at index 0 does not fit int32/],
  ];
  it.each(cases)("rejects %s", (_name, bytes, message) => {
    expect(() => parseSafetensors(bytes)).toThrow(message);
  });

  it("names the function in every error", () => {
    for (const [, bytes] of cases) expect(() => parseSafetensors(bytes)).toThrow(/^parseSafetensors: /);
  });

  it("does not let a '__proto__' tensor name touch prototypes", () => {
    const raw = '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"__proto__":"x"}}';
    const { tensors, metadata } = parseSafetensors(file(raw, [0, 0, 128, 63], { raw: true }));
    expect(tensors.get("__proto__")!.item()).toBe(1);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(metadata.__proto__).toBe("x");
  });
});

describe("parseSafetensors: duplicate keys", () => {
  const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
  it.each([
    ["a tensor name", `{"w":${entry},"w":${entry}}`, "header has the key 'w' twice in the top level"],
    ["an escaped tensor name", `{"w\\u0041":${entry},"wA":${entry}}`, "header has the key 'wA' twice in the top level"],
    ["a tensor field", '{"w":{"dtype":"F32","shape":[1],"dtype":"I32","data_offsets":[0,4]}}', "header has the key 'dtype' twice in 'w'"],
    ["a metadata key", `{"__metadata__":{"a":"1","b":"[,{","a":"2"},"w":${entry}}`, "header has the key 'a' twice in '__metadata__'"],
    ["__metadata__ itself", `{"__metadata__":{},"w":${entry},"__metadata__":{}}`, "header has the key '__metadata__' twice in the top level"],
  ])("rejects %s given twice (JSON.parse would keep the last)", (_what, raw, message) => {
    expect(() => parseSafetensors(file(raw, [0, 0, 128, 63], { raw: true }))).toThrow(`parseSafetensors: ${message}`);
  });

  it("accepts equal keys in different objects and key-like text inside strings", () => {
    const raw = `{"__metadata__":{"w":"\\"w\\":1, \\"x\\""},"w":${entry}}`;
    const { tensors, metadata } = parseSafetensors(file(raw, [0, 0, 128, 63], { raw: true }));
    expect(tensors.get("w")!.item()).toBe(1);
    expect(metadata.w).toBe('"w":1, "x"');
  });
});
