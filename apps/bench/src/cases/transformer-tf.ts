/**
 * The multi-head attention block and the post-norm Transformer encoder layer written with
 * tfjs-core ops, as a tfjs user would (PyTorch parameter layout, x [B, L, E]).
 */
import type { Tf } from "../peers/tfjs.js";
import { tfAttention } from "./attention-math.js";
import type { Weights } from "./transformer-params.js";

type TfTensor = ReturnType<Tf["tensor"]>;
export type TfParams = Record<string, TfTensor>;

/** tfjs tensors (or trainable variables) from the shared weights, keyed by PyTorch name. */
export function tfParams(tf: Tf, ws: Weights, trainable: boolean): TfParams {
  const out: TfParams = {};
  for (const [name, w] of Object.entries(ws)) {
    const t = tf.tensor(w.data, w.shape, "float32");
    out[name] = trainable ? tf.variable(t, true) : t;
  }
  return out;
}

function p(ps: TfParams, name: string): TfTensor {
  const t = ps[name];
  if (t === undefined) throw new Error(`tfjs transformer: no parameter '${name}'`);
  return t;
}

/** y = x·Wᵀ + b for x [N, in], W [out, in]. */
function linear(tf: Tf, x: TfTensor, w: TfTensor, b: TfTensor): TfTensor {
  return tf.add(tf.matMul(x, w, false, true), b);
}

/** Self-attention x [B, L, E] → [B, L, E] with H heads (torch.nn.MultiheadAttention, need_weights=False). */
export function tfMha(tf: Tf, x: TfTensor, ps: TfParams, H: number, prefix = ""): TfTensor {
  const [B, L, E] = x.shape as [number, number, number];
  const D = E / H;
  const qkv = linear(tf, tf.reshape(x, [B * L, E]), p(ps, `${prefix}in_proj_weight`), p(ps, `${prefix}in_proj_bias`));
  const heads = (t: TfTensor) => tf.transpose(tf.reshape(t, [B, L, H, D]), [0, 2, 1, 3]);
  const [q, k, v] = tf.split(qkv, 3, 1) as [TfTensor, TfTensor, TfTensor];
  const o = tfAttention(tf, heads(q), heads(k), heads(v), 1 / Math.sqrt(D));
  const merged = tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B * L, E]);
  return tf.reshape(linear(tf, merged, p(ps, `${prefix}out_proj.weight`), p(ps, `${prefix}out_proj.bias`)), [B, L, E]);
}

function layerNorm(tf: Tf, x: TfTensor, w: TfTensor, b: TfTensor, eps: number): TfTensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), w), b);
}

/** torch.nn.TransformerEncoderLayer (post-norm, ReLU, dropout 0, eps 1e-5), x [B, L, E]. */
export function tfEncoderLayer(tf: Tf, x: TfTensor, ps: TfParams, H: number): TfTensor {
  const [B, L, E] = x.shape as [number, number, number];
  const h = layerNorm(tf, tf.add(x, tfMha(tf, x, ps, H, "self_attn.")), p(ps, "norm1.weight"), p(ps, "norm1.bias"), 1e-5);
  const flat = tf.reshape(h, [B * L, E]);
  const ff = linear(tf, tf.relu(linear(tf, flat, p(ps, "linear1.weight"), p(ps, "linear1.bias"))), p(ps, "linear2.weight"), p(ps, "linear2.bias"));
  return layerNorm(tf, tf.add(h, tf.reshape(ff, [B, L, E])), p(ps, "norm2.weight"), p(ps, "norm2.bias"), 1e-5);
}
