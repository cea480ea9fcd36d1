import { describeValue, Tensor } from "@heed/tensor-core";
import { decodeTensor } from "./decode.js";
import { duplicateKey } from "./duplicate-keys.js";
import { ELEMENT_BYTES, READ_DTYPE } from "./dtypes.js";

/** The reference implementation's limit on the JSON header. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface ParsedSafetensors {
  /** Tensors in file (data offset) order. */
  tensors: Map<string, Tensor>;
  /** The `__metadata__` string map ({} when absent). */
  metadata: Record<string, string>;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

const fail = (msg: string): never => {
  throw new Error(`parseSafetensors: ${msg}`);
};

/**
 * Decode a safetensors file held in memory. Every number in the header is checked before it
 * is used: a malformed or hostile file (header length beyond the file or over 100 MB, invalid
 * UTF-8 or JSON, a key given twice in one object, unknown dtype, bad shape, offsets out of range, overlapping, leaving gaps or
 * not covering the data, shape × dtype size not matching the byte range) throws an error that
 * names the problem; nothing is read out of bounds and no allocation exceeds the file's size.
 * F32/F64/I32/BOOL load as is; F16 and BF16 widen to float32; I64/I16/I8/U8/U16/U32 load as
 * int32 when every value fits.
 */
export function parseSafetensors(input: Uint8Array | ArrayBuffer): ParsedSafetensors {
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) fail(`expected the file's bytes as a Uint8Array or ArrayBuffer, got ${describeValue(input)}`);
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const headerLength = hi * 4294967296 + lo;
  if (hi !== 0 || headerLength > MAX_HEADER_BYTES) fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (8 + headerLength > bytes.length) fail(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail("header is not valid UTF-8");
  }
  if (!text.startsWith("{")) fail(`header must start with '{', got ${JSON.stringify(text.slice(0, 16))}`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) return fail("header must be a JSON object");
  const dup = duplicateKey(text);
  if (dup !== null) fail(`header has the key '${dup.key}' twice in ${dup.where} (JSON.parse would silently keep the last; duplicate keys are rejected)`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") metadata = checkMetadata(info);
    else entries.push(checkEntry(name, info, dataLength));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.begin < covered) fail(`tensor '${e.name}' data_offsets [${e.begin},${e.end}] overlap the previous tensor (which ends at ${covered})`);
    if (e.begin > covered) fail(`tensor '${e.name}' data_offsets [${e.begin},${e.end}] leave a gap after byte ${covered} (offsets must be contiguous)`);
    covered = e.end;
  }
  if (covered !== dataLength) fail(`tensors cover ${covered} bytes but the data section has ${dataLength} bytes (offsets must cover the data exactly)`);
  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    const data = decodeTensor(e.name, e.dtype, bytes, dataStart + e.begin, e.end - e.begin);
    tensors.set(e.name, new Tensor(data, e.shape));
  }
  return { tensors, metadata };
}

function checkMetadata(info: unknown): Record<string, string> {
  if (typeof info !== "object" || info === null || Array.isArray(info)) return fail("__metadata__ must be an object of strings");
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
    if (typeof v !== "string") fail(`__metadata__ value for '${k}' must be a string, got ${JSON.stringify(v)}`);
    out.push([k, v as string]);
  }
  return Object.fromEntries(out);
}

function checkEntry(name: string, info: unknown, dataLength: number): Entry {
  if (typeof info !== "object" || info === null || Array.isArray(info)) return fail(`tensor '${name}' must be an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== "string" || !(dtype in ELEMENT_BYTES)) return fail(`tensor '${name}' has unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(ELEMENT_BYTES).join(", ")})`);
  if (!(dtype in READ_DTYPE)) return fail(`tensor '${name}' has dtype ${dtype}, which Heed cannot load (readable: ${Object.keys(READ_DTYPE).join(", ")})`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    return fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)} (expected an array of non-negative integers)`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    return fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)} (expected [begin, end] with non-negative integers)`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`tensor '${name}' has data_offsets [${begin},${end}] with end before begin`);
  if (end > dataLength) fail(`tensor '${name}' data_offsets [${begin},${end}] are out of range (the data section has ${dataLength} bytes)`);
  const size = ELEMENT_BYTES[dtype]!;
  let elements = 1;
  for (const d of shape as number[]) elements *= d;
  if (elements * size !== end - begin) {
    fail(`tensor '${name}' shape [${(shape as number[]).join(",")}] × ${dtype} (${size} bytes) needs ${elements * size} bytes but data_offsets [${begin},${end}] hold ${end - begin}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}
