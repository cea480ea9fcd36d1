/**
 * Attention as one operator instead of composed standard ops: ONNX Runtime's contrib
 * `com.microsoft.MultiHeadAttention` (attention: "ort-mha") or ONNX's own `Attention` (opset 23,
 * attention: "onnx-attention"). Both take q [B, L, H·E], k [B, S, H·E], v [B, S, H·Ev] and
 * return [B, L, H·Ev]; masks and the causal triangle become one additive bias broadcast to
 * [B or 1, H or 1, L, S] (0 where a key takes part, −∞ where it does not), and a row whose keys
 * are all masked gives 0 (as Heed's kernel does) through a `Where(IsNaN)` on the output.
 */
import type { DType } from "@heed/tensor-core";
import type { Graph } from "./graph.js";
import { ELEM, tensorProto } from "./proto.js";

export interface FusedAttention {
  q: string;
  k: string;
  v: string;
  /** the traced mask value and its rank, kind (bool: true = takes part; float: added) */
  mask: { name: string; rank: number; kind: "bool" | "float"; dtype: DType } | null;
  causal: boolean;
  heads: number;
  scale: number;
  dtype: DType;
}

/** tril(ones(L, S)) as bool [L, S]: PyTorch's top-left causal mask. */
function causalAllowed(g: Graph, ls: string): string {
  const ones = g.add("ConstantOfShape", [ls], { value: { tensor: tensorProto("value", "float32", [1], [1]) } });
  return g.add("Cast", [g.add("Trilu", [ones], { upper: 0 })], { to: ELEM.bool });
}

/** The additive bias [B|1, H|1, L, S] of the mask and the causal triangle, or null when there is neither. */
function bias(g: Graph, a: FusedAttention): string | null {
  const ls = g.add("Concat", [g.shapeDim(a.q, 1), g.shapeDim(a.k, 1)], { axis: 0 });
  const zero = g.constant(0, a.dtype);
  const minusInf = g.constant(-Infinity, a.dtype);
  const parts: string[] = [];
  if (a.mask !== null) {
    const m = a.mask.kind === "bool"
      ? g.add("Where", [a.mask.dtype === "bool" ? a.mask.name : g.add("Cast", [a.mask.name], { to: ELEM.bool }), zero, minusInf])
      : a.mask.dtype === a.dtype ? a.mask.name : g.add("Cast", [a.mask.name], { to: ELEM[a.dtype] });
    parts.push(a.mask.rank >= 4 ? m : g.add("Unsqueeze", [m, g.constant(Array.from({ length: 4 - a.mask.rank }, (_, i) => i))]));
  }
  if (a.causal) parts.push(g.add("Unsqueeze", [g.add("Where", [causalAllowed(g, ls), zero, minusInf]), g.constant([0, 1])]));
  if (parts.length === 0) return null;
  const sum = parts.reduce((x, y) => g.add("Add", [x, y]));
  return g.add("Expand", [sum, g.add("Concat", [g.constant([1, 1]), ls], { axis: 0 })]);
}

/** One attention operator for `a`, per `g.attention`; returns the output [B, L, H·Ev]. */
export function fusedAttention(g: Graph, a: FusedAttention): string {
  const b = bias(g, a);
  const out = g.attention === "ort-mha"
    ? g.add("MultiHeadAttention", [a.q, a.k, a.v, "", "", ...(b === null ? [] : [b])], { num_heads: a.heads, scale: { float: a.scale } }, 1, "com.microsoft")
    : g.add("Attention", [a.q, a.k, a.v, ...(b === null ? [] : [b])], { q_num_heads: a.heads, kv_num_heads: a.heads, scale: { float: a.scale } });
  return b === null ? out : g.add("Where", [g.add("IsNaN", [out]), g.constant(0, a.dtype), out]);
}
