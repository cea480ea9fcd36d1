/**
 * Seeded weights for the multi-head attention block and the Transformer encoder layer,
 * named and shaped as in PyTorch (`in_proj_weight` [3E, E], `out_proj.weight` [E, E],
 * `linear1.weight` [F, E], …). Heed loads them with `loadStateDict`; the peers build the
 * same layers from the same arrays, so every engine starts from identical parameters.
 */
import { randomUniform, sizeOf } from "../data.js";

export interface Weight {
  shape: number[];
  data: Float32Array;
}

export type Weights = Record<string, Weight>;

/** A weight maker whose n-th weight uses seed `base + n`: uniform in [offset - bound, offset + bound). */
function maker(base: number) {
  let n = 0;
  return (shape: number[], bound: number, offset = 0): Weight => {
    const data = randomUniform(sizeOf(shape), base + n++, bound);
    if (offset !== 0) for (let i = 0; i < data.length; i++) data[i] = data[i]! + offset;
    return { shape, data };
  };
}

/** torch.nn.MultiheadAttention's parameters (packed in-projection, biases on). */
export function mhaWeights(E: number, prefix = "", seed = 1000): Weights {
  const w = maker(seed);
  const xavier = Math.sqrt(6 / (E + 3 * E));
  return {
    [`${prefix}in_proj_weight`]: w([3 * E, E], xavier),
    [`${prefix}in_proj_bias`]: w([3 * E], 0.1),
    [`${prefix}out_proj.weight`]: w([E, E], 1 / Math.sqrt(E)),
    [`${prefix}out_proj.bias`]: w([E], 0.1),
  };
}

/** torch.nn.TransformerEncoderLayer's parameters (post-norm, ReLU, dim_feedforward F). */
export function encoderLayerWeights(E: number, F: number, layer: number): Weights {
  const attn = mhaWeights(E, "self_attn.", 2000 + 100 * layer);
  const w = maker(2050 + 100 * layer);
  return {
    ...attn,
    "linear1.weight": w([F, E], 1 / Math.sqrt(E)),
    "linear1.bias": w([F], 1 / Math.sqrt(E)),
    "linear2.weight": w([E, F], 1 / Math.sqrt(F)),
    "linear2.bias": w([E], 1 / Math.sqrt(F)),
    "norm1.weight": w([E], 0.1, 1),
    "norm1.bias": w([E], 0.1),
    "norm2.weight": w([E], 0.1, 1),
    "norm2.bias": w([E], 0.1),
  };
}

export function weight(ws: Weights, name: string): Weight {
  const found = ws[name];
  if (found === undefined) throw new Error(`weights: no parameter '${name}' (have: ${Object.keys(ws).join(", ")})`);
  return found;
}
