/**
 * Tensors made inside forward (scalars, masks) become initializers. One whose shape follows
 * a dynamic axis is rebuilt in the graph when it is a fill (ConstantOfShape) or a lower
 * triangle such as a causal mask (Trilu); any other such constant, or one whose values
 * changed between the two traces, cannot be exported and says so.
 */
import { formatShape } from "@heed/tensor-core";
import type { Graph } from "./graph.js";
import { ELEM, tensorProto } from "./proto.js";
import type { TraceNode, Val } from "./trace.js";

function where(user: TraceNode | null): string {
  return user === null ? "returned as an output" : `used by op '${user.op}' in module '${user.path || "<root>"}'`;
}

function isFill(v: Val): boolean {
  const d = v.data!;
  for (let i = 1; i < d.length; i++) if (d[i] !== d[0]) return false;
  return true;
}

/** Whether the last two dims hold tril(ones) (1 where j ≤ i, else 0) in every leading slice. */
function isTril(v: Val): boolean {
  const [L, S] = v.shape.slice(-2) as [number, number];
  if (v.shape.length < 2) return false;
  const d = v.data!;
  for (let k = 0; k < d.length; k++) {
    const j = k % S;
    const i = Math.floor(k / S) % L;
    if (Number(d[k]) !== (j <= i ? 1 : 0)) return false;
  }
  return true;
}

export function constantOf(g: Graph, v1: Val, v2: Val, dim: (a: number, b: number) => string | null, user: TraceNode | null): string {
  const same = v1.shape.join() === v2.shape.join();
  if (same) {
    const [a, b] = [v1.data!, v2.data!];
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
        throw new Error(`exportOnnx: a constant ${formatShape(v1.shape)} made inside forward (${where(user)}) depends on the input values; compute it with tensor ops so the trace can record it`);
      }
    }
    return g.initializer(g.fresh("const"), v1.dtype, v1.shape, v1.data!);
  }
  const shape = (): string => {
    const pieces = v1.shape.map((d, i) => dim(d, v2.shape[i]!));
    if (pieces.some((p) => p === null)) throw new Error(`exportOnnx: cannot express the shape ${formatShape(v1.shape)} of a constant (${where(user)}) in terms of the dynamic axes`);
    return g.concatShape(pieces as string[]);
  };
  const dtype = v1.dtype;
  if (isFill(v1) && isFill(v2) && v1.data![0] === v2.data![0]) {
    return g.add("ConstantOfShape", [shape()], { value: { tensor: tensorProto("value", dtype, [1], [Number(v1.data![0] ?? 0)]) } });
  }
  if (isTril(v1) && isTril(v2)) {
    const ones = g.add("ConstantOfShape", [shape()], { value: { tensor: tensorProto("value", "float32", [1], [1]) } });
    return g.add("Cast", [g.add("Trilu", [ones], { upper: 0 })], { to: ELEM[dtype] });
  }
  throw new Error(
    `exportOnnx: a constant ${formatShape(v1.shape)} made inside forward (${where(user)}) changes shape with the dynamic axes and is neither a fill nor a lower triangle; compute it with tensor ops so the trace can record it`,
  );
}
