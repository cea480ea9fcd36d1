import "@heed/autograd";
import { add, Generator, getBackend, mul, randn, setBackend, sum, type Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { feedForward } from "./transformer-common.js";
import { TransformerDecoderLayer } from "./transformer-decoder-layer.js";
import { TransformerEncoderLayer } from "./transformer-encoder-layer.js";

const initial = getBackend();
afterAll(() => void setBackend(initial));

const [B, L, S, E, H, F] = [2, 5, 4, 16, 4, 24];

/** Output and every gradient (inputs, then parameters) of Σ f()·r, replaying the dropout generator from `state`. */
function run(f: () => Tensor, rng: Generator, state: ReturnType<Generator["getState"]>, leaves: Tensor[]): number[][] {
  for (const t of leaves) t.grad = null;
  rng.setState(state);
  const y = f();
  sum(mul(y, randn(y.shape, new Generator(9)))).backward();
  return [Array.from(y.data), ...leaves.map((t) => Array.from(t.grad!.data))];
}

describe.each(["js", "wasm"])("post-norm layers' fused residual + dropout + layer norm (%s)", (backend) => {
  it("an encoder layer in training has the bits (values and gradients) of the module-by-module composition", () => {
    expect(setBackend(backend)).toBe(true);
    const rng = new Generator(1);
    const layer = new TransformerEncoderLayer({ dModel: E, nhead: H, dimFeedforward: F, dropout: 0.2, rng }).train();
    const src = randn([B, L, E], new Generator(2)).requiresGrad_();
    const leaves = [src, ...layer.parameters()];
    const state = rng.getState();
    const composed = run(() => {
      const a = layer.selfAttn.forward(src, src, src, { needWeights: false }).output;
      const x = layer.norm1.forward(add(src, layer.dropout1.forward(a)));
      return layer.norm2.forward(add(x, layer.dropout2.forward(feedForward(x, layer.linear1, layer.linear2, layer.dropout, "relu"))));
    }, rng, state, leaves);
    const fused = run(() => layer.forward(src), rng, state, leaves);
    expect(fused).toEqual(composed);
  });

  it("a decoder layer in training has the bits of the module-by-module composition", () => {
    expect(setBackend(backend)).toBe(true);
    const rng = new Generator(3);
    const layer = new TransformerDecoderLayer({ dModel: E, nhead: H, dimFeedforward: F, dropout: 0.2, rng }).train();
    const tgt = randn([B, L, E], new Generator(4)).requiresGrad_();
    const memory = randn([B, S, E], new Generator(5)).requiresGrad_();
    const leaves = [tgt, memory, ...layer.parameters()];
    const state = rng.getState();
    const composed = run(() => {
      let x = layer.norm1.forward(add(tgt, layer.dropout1.forward(layer.selfAttn.forward(tgt, tgt, tgt, { isCausal: true, needWeights: false }).output)));
      x = layer.norm2.forward(add(x, layer.dropout2.forward(layer.multiheadAttn.forward(x, memory, memory, { needWeights: false }).output)));
      return layer.norm3.forward(add(x, layer.dropout3.forward(feedForward(x, layer.linear1, layer.linear2, layer.dropout, "relu"))));
    }, rng, state, leaves);
    expect(run(() => layer.forward(tgt, memory, { tgtIsCausal: true }), rng, state, leaves)).toEqual(composed);
  });
});
