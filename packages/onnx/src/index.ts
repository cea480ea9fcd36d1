/**
 * @heed/onnx — export Heed modules to ONNX (opset 17) by tracing one forward pass, with
 * dynamic batch and sequence axes, for ONNX Runtime and every engine that reads ONNX.
 * Shape letters: B batch, L query length, S key length, H heads, E embedding, D head dim.
 */
export { exportOnnx, OPSET, type ExportOptions, type ForwardResult, type OnnxExport } from "./export.js";
export type { DimInfo } from "./proto.js";
export type { AttentionExport } from "./graph.js";
export { exportSeq2Seq, type Seq2SeqExport } from "./seq2seq.js";
