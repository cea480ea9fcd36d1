/**
 * Lowerings of the fused kernels: linear → Gemm, linear + ReLU (+ dropout, eval) → Gemm + Relu, layer norm → LayerNormalization (opset 17), residual + layer norm → Add + LayerNormalization, embedding + positions → Gather, Mul, Slice, Add,
 * attention → the composed standard ops (MatMul, Where/Add for masks, Trilu for the causal
 * mask, Softmax), with rows that can attend nowhere giving 0 as Heed's kernel does.
 * Dropout in training mode has no export: the trace must run in eval mode.
 */
import type { DType } from "@heed/tensor-core";
import { fusedAttention } from "./lower-attention.js";
import { castTo, type Lowering } from "./lower-ops.js";
import type { Graph } from "./graph.js";
import type { Val } from "./trace.js";
import { ELEM, tensorProto } from "./proto.js";

function fail(l: Lowering, why: string): never {
  throw new Error(`exportOnnx: cannot export '${l.node.op.slice("fused.".length)}' in module '${l.node.path || "<root>"}': ${why}`);
}

function linear(l: Lowering): string {
  const { g } = l;
  const inF = l.node.attrs.inFeatures as number;
  const x = l.node.inputs[0]!;
  // the traced input may be any alias of the same storage (e.g. x [B, W] after a reshape of it to [B·W, 1]): all hold the rows in order
  const x2 = x.shape.length === 2 && x.shape[1] === inF ? l.inputs[0]! : g.add("Reshape", [l.inputs[0]!, g.constant([-1, inF])]);
  return g.add("Gemm", [x2, l.inputs[1]!, ...(l.inputs[2] === undefined ? [] : [l.inputs[2]])], { transB: 1 });
}

/** dropout(relu(x·Wᵀ + b)) in eval mode (p = 0): Relu(Gemm). */
function linearReluDropout(l: Lowering): string {
  const p = l.node.attrs.p as number;
  if (p > 0) fail(l, `its dropout p=${p} runs in training mode; call module.eval() (exportOnnx traces inference)`);
  return l.g.add("Relu", [linear(l)]);
}

function layerNorm(l: Lowering): string {
  return layerNormOf(l, l.inputs[0]!, l.node.inputs[0]!, l.inputs.slice(1), l.node.attrs.hasWeight as boolean);
}

/** LayerNormalization over the last axis of `input` (traced value `x`), `affine` = [weight?, bias?]. */
function layerNormOf(l: Lowering, input: string, x: { shape: readonly number[]; dtype: DType }, affine: readonly string[], hasWeight: boolean): string {
  const { D, eps } = l.node.attrs as { D: number; eps: number };
  if (x.shape[x.shape.length - 1] !== D) fail(l, `its input ${JSON.stringify(x.shape)} does not end in the normalised size ${D}`);
  const scale = hasWeight ? affine[0]! : l.g.constant(new Array<number>(D).fill(1), x.dtype, [D]);
  const bias = hasWeight ? affine.slice(1) : affine;
  return l.g.add("LayerNormalization", [input, scale, ...bias], { axis: -1, epsilon: { float: eps } });
}

/** layerNorm(x + dropout(s)) in eval mode (p = 0): LayerNormalization(Add(x, s)). */
function residualLayerNorm(l: Lowering): string {
  const p = l.node.attrs.p as number;
  if (p > 0) fail(l, `its dropout p=${p} runs in training mode; call module.eval() (exportOnnx traces inference)`);
  const [x, s] = l.node.inputs as [Val, Val];
  // the two traced values may be different aliases of [rows, D] storage (e.g. [B, L, E] and a linear's [B·L, E])
  const same = x.shape.length === s.shape.length && x.shape.every((d, i) => d === s.shape[i]);
  const sub = same ? l.inputs[1]! : l.g.add("Reshape", [l.inputs[1]!, l.g.add("Shape", [l.inputs[0]!])]);
  const sum = l.g.add("Add", [l.inputs[0]!, sub]);
  return layerNormOf(l, sum, l.node.inputs[0]!, l.inputs.slice(2), l.node.attrs.hasWeight as boolean);
}

/** dropout(W[ids]·s + P[offset .. offset + L]) in eval mode: Add(Mul(Gather(W, ids), s), Slice(P)). */
function embeddingPositions(l: Lowering): string {
  const { scale, offset, L, p } = l.node.attrs as { scale: number; offset: number; L: number; p: number };
  const other = l.other.attrs as { offset: number; L: number };
  if (p > 0) fail(l, `its dropout p=${p} runs in training mode; call module.eval() (exportOnnx traces inference)`);
  const { g } = l;
  const dtype = l.node.inputs[0]!.dtype;
  const scaled = g.add("Mul", [g.add("Gather", [l.inputs[0]!, l.inputs[1]!], { axis: 0 }), g.constant(scale, dtype)]);
  if (l.inputs[2] === undefined) return scaled;
  const start = l.dim(offset, other.offset);
  const end = g.add("Add", [start, l.dim(L, other.L)]);
  return g.add("Add", [scaled, g.add("Slice", [l.inputs[2], start, end, g.constant([0])])]);
}

/** [B, N, H·E] → [B, H, N, E] (or [B, H, E, N] when `keyT`). */
function splitHeads(g: Graph, x: string, H: number, E: number, keyT = false): string {
  const r = g.add("Reshape", [x, g.constant([0, 0, H, E])]);
  return g.add("Transpose", [r], { perm: keyT ? [0, 2, 3, 1] : [0, 2, 1, 3] });
}

/** Scores where `allowed` is false become −∞. */
function maskOut(g: Graph, scores: string, allowed: string, dtype: DType): string {
  return g.add("Where", [allowed, scores, g.constant(-Infinity, dtype)]);
}

/** tril(ones(L, S)) as bool from the scores' last two dims: PyTorch's top-left causal mask. */
function causal(g: Graph, scores: string): string {
  const ls = g.add("Shape", [scores], { start: -2 });
  const ones = g.add("ConstantOfShape", [ls], { value: { tensor: tensorProto("value", "float32", [1], [1]) } });
  return g.add("Cast", [g.add("Trilu", [ones], { upper: 0 })], { to: ELEM.bool });
}

function attention(l: Lowering): string {
  const { g } = l;
  const { scale, causal: isCausal, heads, E, Ev, maskKind, dropout } = l.node.attrs as {
    scale: number; causal: boolean; heads: number | null; E: number; Ev: number; maskKind: "bool" | "float" | null; dropout: number;
  };
  if (dropout > 0) fail(l, `attention dropout p=${dropout} is active; call module.eval() (exportOnnx traces inference)`);
  const dtype = l.node.output.dtype;
  const [q0, k0, v0, mask] = l.inputs as [string, string, string, string | undefined];
  if (g.attention !== "composed" && heads !== null) {
    const m = mask === undefined ? null : { name: mask, rank: l.node.inputs[3]!.shape.length, kind: maskKind!, dtype: l.node.inputs[3]!.dtype };
    if (m !== null && m.rank > 4) fail(l, `its mask ${JSON.stringify(l.node.inputs[3]!.shape)} has rank ${m.rank}; attention '${g.attention}' takes masks of rank ≤ 4 (use attention: "composed")`);
    return fusedAttention(g, { q: q0, k: k0, v: v0, mask: m, causal: isCausal, heads, scale, dtype });
  }
  const q = heads === null ? q0 : splitHeads(g, q0, heads, E);
  const kT = heads === null ? g.add("Transpose", [k0], { perm: transposeLast(l.node.inputs[1]!.shape.length) }) : splitHeads(g, k0, heads, E, true);
  const v = heads === null ? v0 : splitHeads(g, v0, heads, Ev);
  let scores = g.add("MatMul", [scale === 1 ? q : g.add("Mul", [q, g.constant(scale, dtype)]), kT]);
  if (mask !== undefined && maskKind === "bool") scores = maskOut(g, scores, castTo(g, mask, l.node.inputs[3]!.dtype, "bool"), dtype);
  if (mask !== undefined && maskKind === "float") scores = g.add("Add", [scores, mask]);
  if (isCausal) scores = maskOut(g, scores, causal(g, scores), dtype);
  let weights = g.add("Softmax", [scores], { axis: -1 });
  // a row with every score −∞ gives NaN in Softmax; Heed's kernel gives 0 there
  if (mask !== undefined || isCausal) weights = g.add("Where", [g.add("IsNaN", [weights]), g.constant(0, dtype), weights]);
  const out = g.add("MatMul", [weights, v]);
  if (heads === null) return out;
  return g.add("Reshape", [g.add("Transpose", [out], { perm: [0, 2, 1, 3] }), g.constant([0, 0, heads * Ev])]);
}

function transposeLast(rank: number): number[] {
  return [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
}

export const LOWER_FUSED: Record<string, (l: Lowering) => string> = {
  "fused.linear": linear,
  "fused.linearReluDropout": linearReluDropout,
  "fused.layerNorm": layerNorm,
  "fused.residualLayerNorm": residualLayerNorm,
  "fused.embeddingPositions": embeddingPositions,
  "fused.attention": attention,
  "fused.dropout": (l) => fail(l, `dropout p=${String(l.node.attrs.p)} runs in training mode; call module.eval() (exportOnnx traces inference)`),
};
