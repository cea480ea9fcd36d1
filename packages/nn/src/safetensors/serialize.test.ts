import { scalar, tensor, zeros } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { parseSafetensors } from "./parse.js";
import { serializeSafetensors } from "./serialize.js";

const f32 = (values: number[]): number[] => [...new Uint8Array(new Float32Array(values).buffer)];
const ascii = (s: string): number[] => [...new TextEncoder().encode(s)];
const u64 = (n: number): number[] => [n, 0, 0, 0, 0, 0, 0, 0];

describe("serializeSafetensors", () => {
  it("writes the reference implementation's bytes for one F32 tensor (header already 8-aligned)", () => {
    const out = serializeSafetensors({ "attn.0": tensor([0, 1, 2, 3, 4, 5], [1, 2, 3]) });
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    expect([...out]).toEqual([...u64(64), ...ascii(header), ...f32([0, 1, 2, 3, 4, 5])]);
  });

  it("pads the header with spaces to a multiple of 8 bytes", () => {
    const out = serializeSafetensors({ attn0: tensor([0, 1, 2, 3, 4, 5], [1, 1, 2, 3]) });
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(65);
    expect([...out]).toEqual([...u64(72), ...ascii(header), ...Array<number>(7).fill(32), ...f32([0, 1, 2, 3, 4, 5])]);
  });

  it("writes an empty file and metadata first, like the reference", () => {
    expect([...serializeSafetensors(new Map())]).toEqual([...u64(8), ...ascii("{}"), 32, 32, 32, 32, 32, 32]);
    const withMeta = serializeSafetensors({}, { framework: "pt" });
    expect([...withMeta]).toEqual([...u64(40), ...ascii('{"__metadata__":{"framework":"pt"}}'), 32, 32, 32, 32, 32]);
  });

  it("orders tensors by descending dtype (F64, F32, I32, BOOL) then by name, whatever the input order", () => {
    const out = serializeSafetensors({
      flag: tensor([true, false]),
      b: tensor([1, 2]),
      idx: tensor([3], undefined, "int32"),
      a: tensor([4], undefined, "float32"),
      d: tensor([5], undefined, "float64"),
    });
    const n = new DataView(out.buffer).getUint32(0, true);
    const header = new TextDecoder().decode(out.subarray(8, 8 + n)).trimEnd();
    expect(Object.keys(JSON.parse(header) as object)).toEqual(["d", "a", "b", "idx", "flag"]);
    expect(header).toContain('"d":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}');
    expect(header).toContain('"flag":{"dtype":"BOOL","shape":[2],"data_offsets":[24,26]}');
  });

  it("orders names by UTF-8 bytes (code points) like Rust, not by UTF-16 code units", () => {
    const out = serializeSafetensors({ "\u{1F600}": tensor([1]), "\uFF5E": tensor([2]), a: tensor([3]) });
    const n = new DataView(out.buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + n))) as Record<string, { data_offsets: number[] }>;
    expect(header.a!.data_offsets).toEqual([0, 4]);
    expect(header["\uFF5E"]!.data_offsets).toEqual([4, 8]);
    expect(header["\u{1F600}"]!.data_offsets).toEqual([8, 12]);
  });

  it("round-trips every writable dtype, rank 0, size-0 dims and unicode names exactly", () => {
    const input = new Map([
      ["w", tensor([[1.5, -2.25e-30, Infinity], [-Infinity, 3.4e38, 0]])],
      ["d", tensor([Math.PI, -1e300, 5e-324], undefined, "float64")],
      ["i", tensor([-2147483648, 2147483647, 0], undefined, "int32")],
      ["m", tensor([[true, false], [false, true]])],
      ["s", scalar(7)],
      ["empty", zeros([0, 3])],
      ["ünï.cødé/名", tensor([1, 2])],
    ]);
    const { tensors, metadata } = parseSafetensors(serializeSafetensors(input, { step: "12", note: "ok" }));
    expect(metadata).toEqual({ step: "12", note: "ok" });
    expect(tensors.size).toBe(input.size);
    for (const [name, t] of input) {
      const back = tensors.get(name)!;
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect([...back.data]).toEqual([...t.data]);
    }
  });

  it("keeps NaN payloads bit for bit and reads a view that does not start at byte 0", () => {
    const nan = new Float32Array([NaN, -0]);
    new Uint32Array(nan.buffer)[0] = 0x7fc01234;
    const bytes = serializeSafetensors({ x: tensor(nan, [2]) });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const back = parseSafetensors(shifted.subarray(3)).tensors.get("x")!;
    expect(new Uint32Array((back.data as Float32Array).buffer)[0]).toBe(0x7fc01234);
    expect(Object.is(back.data[1], -0)).toBe(true);
  });

  it("rejects a tensor named __metadata__ and non-string metadata", () => {
    expect(() => serializeSafetensors({ __metadata__: zeros([1]) })).toThrow(/serializeSafetensors: '__metadata__' is reserved/);
    expect(() => serializeSafetensors({}, { a: 1 as unknown as string })).toThrow(/metadata value for 'a' must be a string/);
  });
});
