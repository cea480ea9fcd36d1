export { serializeSafetensors, type NamedTensors } from "./serialize.js";
export { parseSafetensors, MAX_HEADER_BYTES, type ParsedSafetensors } from "./parse.js";
