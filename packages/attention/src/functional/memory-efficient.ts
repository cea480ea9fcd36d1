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
 * Whether the active backend runs attention in its own fused kernels for this dtype (the wasm
 * backend, float32): then the fused path beats the composed ops at every size.
 */
export function nativeFusedAttention(dtype: string): boolean {
  return dtype === "float32" && hasNativeFusedKernel("attentionForward") && hasNativeFusedKernel("attentionBackward");
}

/** One recorded node around the fused kernels: `problemOf` builds the problem from the (q, k, v[, float mask]) inputs. */
function fused(
  q: Tensor, k: Tensor, v: Tensor, floatMask: Tensor | null, outShape: readonly number[],
  problemOf: (q: Tensor, k: Tensor, v: Tensor, m: Tensor | undefined) => AttentionProblem<FloatArray>,
): Tensor {
  const attend = customVjp<Saved>(
    (...inputs: Tensor[]) => {
      const [q, k, v, m] = inputs as [Tensor, Tensor, Tensor, Tensor | undefined];
      const problem = problemOf(q, k, v, m);
      const { out, logsumexp } = fusedKernelFor("attentionForward")(problem);
      return { output: new Tensor(out, outShape, q.dtype), saved: { problem, out, logsumexp } };
    },
    ({ problem, out, logsumexp }, gradOutput, inputs, needsGrad) => {
      const g = gradOutput.dtype === inputs[0]!.dtype ? gradOutput : cast(gradOutput, inputs[0]!.dtype);
      const r = fusedKernelFor("attentionBackward")({ ...problem, out, logsumexp, gradOut: g.data as FloatArray, wantMaskGrad: needsGrad[3] ?? false });
      const grads = [r.dq, r.dk, r.dv, r.dmask].slice(0, inputs.length);
      return grads.map((d, i) => (d === null || needsGrad[i] === false ? null : new Tensor(d, inputs[i]!.shape, inputs[i]!.dtype)));
    },
    "memoryEfficientAttention",
    { keepsGradients: false }, // keeps nothing it gets or makes: backward() may reuse that storage
  );
  return floatMask === null ? attend(q, k, v) : attend(q, k, v, floatMask);
}

/**
 * Exact attention through the fused kernels (the active backend's, else the TypeScript
 * reference): online softmax over key blocks forward, recomputation from the saved
 * logsumexp backward. Records one autograd node whose saved state is O(B·H·L·Ev).
 */
export function memoryEfficientAttention(q: Tensor, k: Tensor, v: Tensor, spec: AttentionSpec): Tensor {
  const { batchShape, L, S, E, Ev, mask } = spec;
  const floatMask = mask !== null && mask.dtype !== "bool" ? mask : null;
  return fused(q, k, v, floatMask, [...batchShape, L, Ev], (q, k, v, m) => ({
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

/** What `headsAttention` needs besides q, k and v (AttentionSpec's fields for a [B, H] batch). */
export interface HeadsSpec {
  readonly H: number;
  readonly scale: number;
  /** bool (TRUE = takes part) or float in q's dtype, broadcastable to [B, H, L, S]. */
  readonly mask: Tensor | null;
  readonly causal: boolean;
  readonly dropoutP: number;
  readonly dropoutSeed: number;
}

/**
 * Attention of H heads on projections laid out as linear layers produce them: q [B, L, H·D],
 * k [B, S, H·D], v [B, S, H·Dv] → [B, L, H·Dv], head h in columns h·D..(h+1)·D (D the head
 * dim; the fused problem's `E`, `Ev` fields are its q/k and v row widths, here D and Dv). The fused
 * kernels read and write each head in place (strided rows), so multi-head attention needs
 * no head permutes. Same numbers as splitting the heads into [B, H, ·, ·] and calling
 * `memoryEfficientAttention` (problem b·H + h, same dropout).
 */
export function headsAttention(q: Tensor, k: Tensor, v: Tensor, spec: HeadsSpec): Tensor {
  const { H, mask } = spec;
  const [B, L, HD] = q.shape as [number, number, number];
  const S = k.shape[1]!;
  const HDv = v.shape[2]!;
  const [D, Dv] = [HD / H, HDv / H];
  const heads = (R: number, W: number): Int32Array => {
    const out = new Int32Array(B * H); // problem b·H + h starts at row b·R, column h·W (a plain loop: this runs every decoding step)
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) out[b * H + h] = b * R * H * W + h * W;
    return out;
  };
  const floatMask = mask !== null && mask.dtype !== "bool" ? mask : null;
  return fused(q, k, v, floatMask, [B, L, HDv], (q, k, v, m) => ({
    batch: B * H, L, S, E: D, Ev: Dv,
    q: q.data as FloatArray, k: k.data as FloatArray, v: v.data as FloatArray,
    qOffsets: heads(L, D), kOffsets: heads(S, D), vOffsets: heads(S, Dv),
    mask: (m ?? mask) === null ? null : maskArg((m ?? mask)!, [B, H]),
    scale: spec.scale,
    causal: spec.causal,
    dropout: spec.dropoutP > 0 ? { p: spec.dropoutP, seed: spec.dropoutSeed } : null,
    layout: { qRow: HD, kRow: HD, vRow: HDv, outRow: HDv, outOffsets: heads(L, Dv), outLength: B * L * HDv },
  }));
}
