import { customVjp } from "@heed/autograd";
import {
  cast, fusedKernelFor, hasNativeFusedKernel, sizeOf, stridesOf, Tensor,
  type AttentionMaskArg, type AttentionProblem, type FloatArray,
} from "@heed/tensor-core";
import type { AttentionSpec } from "./validate.js";

/**
 * Element offset of each problem's trailing block in a tensor whose leading dims broadcast
 * to `batchShape` (a broadcast dim has stride 0, so its problems share one block).
 */
export function batchOffsets(shape: readonly number[], batchShape: readonly number[], tail: number): Int32Array {
  const lead = shape.slice(0, Math.max(0, shape.length - tail));
  const padded = [...new Array<number>(batchShape.length - lead.length).fill(1), ...lead];
  const blockSize = sizeOf(shape.slice(shape.length - tail));
  const strides = stridesOf(padded).map((s, d) => (padded[d] === 1 ? 0 : s * blockSize));
  const batch = sizeOf(batchShape);
  const offsets = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    let rest = b;
    let offset = 0;
    for (let d = batchShape.length - 1; d >= 0; d--) {
      const n = batchShape[d]!;
      offset += (rest % n) * strides[d]!;
      rest = Math.floor(rest / n);
    }
    offsets[b] = offset;
  }
  return offsets;
}

/** A mask broadcastable to [...batchShape, L, S] addressed in place (never expanded). */
export function maskArg(mask: Tensor, batchShape: readonly number[]): AttentionMaskArg<FloatArray> {
  const shape = mask.rank >= 2 ? mask.shape : [1, ...mask.shape];
  const [Lm, Sm] = shape.slice(-2) as [number, number];
  return {
    kind: mask.dtype === "bool" ? "bool" : "float",
    data: mask.data as Uint8Array | FloatArray,
    offsets: batchOffsets(shape, batchShape, 2),
    strideL: Lm === 1 ? 0 : Sm,
    strideS: Sm === 1 ? 0 : 1,
  };
}

interface Saved {
  problem: AttentionProblem<FloatArray>;
  out: FloatArray;
  logsumexp: FloatArray;
}

/**
 * Whether the active backend runs attention in its own fused kernels for this dtype (the wasm
 * backend, float32): then the fused path beats the composed ops at every size.
 */
export function nativeFusedAttention(dtype: string): boolean {
  return dtype === "float32" && hasNativeFusedKernel("attentionForward") && hasNativeFusedKernel("attentionBackward");
}

/** Add `b` into `a` in place (a gradient array the kernel made and nobody else holds). */
function addInto(a: FloatArray, b: FloatArray): FloatArray {
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
  return a;
}

/**
 * One recorded node around the fused kernels: `problemOf` builds the problem from the q, k, v
 * tensors (and the float mask). q, k and v may be the same tensor (packed projections, heads
 * at different columns): it is then one input of the node, and its gradient is the sum of the
 * kernel's dq, dk, dv for it (each zero outside its own columns; a backend may return one
 * array for all of them, which is then used once).
 */
export function fusedAttention(
  q: Tensor, k: Tensor, v: Tensor, floatMask: Tensor | null, outShape: readonly number[],
  problemOf: (q: Tensor, k: Tensor, v: Tensor, m: Tensor | undefined) => AttentionProblem<FloatArray>,
): Tensor {
  const tensors = [q, k, v].filter((t, i, all) => all.indexOf(t) === i);
  const slot = [q, k, v].map((t) => tensors.indexOf(t)); // which input q, k and v are
  const attend = customVjp<Saved>(
    (...inputs: Tensor[]) => {
      const [q, k, v] = slot.map((i) => inputs[i]!) as [Tensor, Tensor, Tensor];
      const m = floatMask === null ? undefined : inputs[tensors.length];
      const problem = problemOf(q, k, v, m);
      const { out, logsumexp } = fusedKernelFor("attentionForward")(problem);
      return { output: new Tensor(out, outShape, q.dtype), saved: { problem, out, logsumexp } };
    },
    ({ problem, out, logsumexp }, gradOutput, inputs, needsGrad) => {
      const g = gradOutput.dtype === inputs[0]!.dtype ? gradOutput : cast(gradOutput, inputs[0]!.dtype);
      const wantMaskGrad = floatMask !== null && (needsGrad[tensors.length] ?? false);
      const r = fusedKernelFor("attentionBackward")({ ...problem, out, logsumexp, gradOut: g.data as FloatArray, wantMaskGrad });
      const grads: (FloatArray | null)[] = tensors.map(() => null);
      [r.dq, r.dk, r.dv].forEach((d, j) => {
        const i = slot[j]!;
        const have = grads[i]!;
        grads[i] = have === null ? d : have === d ? have : addInto(have, d);
      });
      if (floatMask !== null) grads.push(r.dmask);
      return grads.map((d, i) => (d === null || needsGrad[i] === false ? null : new Tensor(d, inputs[i]!.shape, inputs[i]!.dtype)));
    },
    "memoryEfficientAttention",
    { keepsGradients: false }, // keeps nothing it gets or makes: backward() may reuse that storage
  );
  return floatMask === null ? attend(...tensors) : attend(...tensors, floatMask);
}

/**
 * Exact attention through the fused kernels (the active backend's, else the TypeScript
 * reference): online softmax over key blocks forward, recomputation from the saved
 * logsumexp backward. Records one autograd node whose saved state is O(B·H·L·Ev).
 */
export function memoryEfficientAttention(q: Tensor, k: Tensor, v: Tensor, spec: AttentionSpec): Tensor {
  const { batchShape, L, S, E, Ev, mask } = spec;
  const floatMask = mask !== null && mask.dtype !== "bool" ? mask : null;
  return fusedAttention(q, k, v, floatMask, [...batchShape, L, Ev], (q, k, v, m) => ({
    batch: sizeOf(batchShape), L, S, E, Ev,
    q: q.data as FloatArray, k: k.data as FloatArray, v: v.data as FloatArray,
    qOffsets: batchOffsets(q.shape, batchShape, 2),
    kOffsets: batchOffsets(k.shape, batchShape, 2),
    vOffsets: batchOffsets(v.shape, batchShape, 2),
    mask: (m ?? mask) === null ? null : maskArg((m ?? mask)!, batchShape),
    scale: spec.scale,
    causal: spec.causal,
    dropout: spec.dropoutP > 0 ? { p: spec.dropoutP, seed: spec.dropoutSeed } : null,
  }));
}
