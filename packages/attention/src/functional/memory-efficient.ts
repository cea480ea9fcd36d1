import { customVjp } from "@heed/autograd";
import {
  cast, fusedKernelFor, sizeOf, stridesOf, Tensor,
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
function maskArg(mask: Tensor, batchShape: readonly number[]): AttentionMaskArg<FloatArray> {
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
 * Exact attention through the fused kernels (the active backend's, else the TypeScript
 * reference): online softmax over key blocks forward, recomputation from the saved
 * logsumexp backward. Records one autograd node whose saved state is O(B·H·L·Ev).
 */
export function memoryEfficientAttention(q: Tensor, k: Tensor, v: Tensor, spec: AttentionSpec): Tensor {
  const { batchShape, L, S, E, Ev, mask } = spec;
  const floatMask = mask !== null && mask.dtype !== "bool" ? mask : null;
  const problemOf = (q: Tensor, k: Tensor, v: Tensor, m: Tensor | null): AttentionProblem<FloatArray> => ({
    batch: sizeOf(batchShape), L, S, E, Ev,
    q: q.data as FloatArray, k: k.data as FloatArray, v: v.data as FloatArray,
    qOffsets: batchOffsets(q.shape, batchShape, 2),
    kOffsets: batchOffsets(k.shape, batchShape, 2),
    vOffsets: batchOffsets(v.shape, batchShape, 2),
    mask: m === null ? null : maskArg(m, batchShape),
    scale: spec.scale,
    causal: spec.causal,
    dropout: spec.dropoutP > 0 ? { p: spec.dropoutP, seed: spec.dropoutSeed } : null,
  });
  const attend = customVjp<Saved>(
    (...inputs: Tensor[]) => {
      const [q, k, v, m] = inputs as [Tensor, Tensor, Tensor, Tensor | undefined];
      const problem = problemOf(q, k, v, m ?? mask);
      const { out, logsumexp } = fusedKernelFor("attentionForward")(problem);
      return { output: new Tensor(out, [...batchShape, L, Ev], q.dtype), saved: { problem, out, logsumexp } };
    },
    ({ problem, out, logsumexp }, gradOutput, inputs, needsGrad) => {
      const g = gradOutput.dtype === inputs[0]!.dtype ? gradOutput : cast(gradOutput, inputs[0]!.dtype);
      const r = fusedKernelFor("attentionBackward")({ ...problem, out, logsumexp, gradOut: g.data as FloatArray, wantMaskGrad: needsGrad[3] ?? false });
      const grads = [r.dq, r.dk, r.dv, r.dmask].slice(0, inputs.length);
      return grads.map((d, i) => (d === null || needsGrad[i] === false ? null : new Tensor(d, inputs[i]!.shape, inputs[i]!.dtype)));
    },
    "memoryEfficientAttention",
  );
  return floatMask === null ? attend(q, k, v) : attend(q, k, v, floatMask);
}
