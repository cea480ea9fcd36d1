/**
 * Attention composed from matmul and softmax the way a user of each peer writes it:
 * softmax(q·kᵀ·scale)·v over [B, H, L, D] inputs.
 */
import type { GraphSpec } from "../peers/onnx-graph.js";
import type { Jax, JaxArray } from "../peers/jax.js";
import type { Tf } from "../peers/tfjs.js";

type TfTensor = ReturnType<Tf["tensor"]>;

export function tfAttention(tf: Tf, q: TfTensor, k: TfTensor, v: TfTensor, scale: number): TfTensor {
  return tf.matMul(tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale), -1), v);
}

export function jaxAttention(jax: Jax, q: JaxArray, k: JaxArray, v: JaxArray, scale: number): JaxArray {
  const np = jax.numpy;
  return np.matmul(jax.nn.softmax(np.matmul(q, np.swapaxes(k, -1, -2)).mul(scale), -1), v);
}

/** ONNX graph Q, K, V [B,H,L,D] → O: Transpose(K), MatMul, Mul(scale), Softmax(-1), MatMul (opset 17). */
export function onnxAttention(shape: readonly number[], scale: number): GraphSpec {
  return {
    name: "attention",
    inputs: { Q: shape, K: shape, V: shape },
    outputs: { O: shape },
    constants: { scale: { dims: [], values: [scale] } },
    nodes: [
      { op: "Transpose", inputs: ["K"], outputs: ["Kt"], attrs: { perm: [0, 1, 3, 2] } },
      { op: "MatMul", inputs: ["Q", "Kt"], outputs: ["S0"] },
      { op: "Mul", inputs: ["S0", "scale"], outputs: ["S1"] },
      { op: "Softmax", inputs: ["S1"], outputs: ["P"], attrs: { axis: -1 } },
      { op: "MatMul", inputs: ["P", "V"], outputs: ["O"] },
    ],
  };
}

/** torch.nn.MultiheadAttention self-attention in jax-js (x [B, L, E], packed in-projection, each array used once). */
export function jaxMha(jax: Jax, x: JaxArray, win: JaxArray, bin: JaxArray, wout: JaxArray, bout: JaxArray, H: number): JaxArray {
  const np = jax.numpy;
  const [B, L, E] = x.shape as [number, number, number];
  const D = E / H;
  const qkv = np.matmul(x.reshape([B * L, E]), win.transpose()).add(bin);
  const [q, k, v] = np.split(qkv, 3, 1) as [JaxArray, JaxArray, JaxArray];
  const heads = (t: JaxArray) => t.reshape([B, L, H, D]).transpose([0, 2, 1, 3]);
  const o = jaxAttention(jax, heads(q), heads(k), heads(v), 1 / Math.sqrt(D));
  const merged = o.transpose([0, 2, 1, 3]).reshape([B * L, E]);
  return np.matmul(merged, wout.transpose()).add(bout).reshape([B, L, E]);
}
