import { linear, Module, uniform_, type Parameter } from "@heed/nn";
import { zeros, type Generator, type Tensor } from "@heed/tensor-core";

/**
 * The output projection of a Seq2SeqTransformer built with `shareDecoderInputOutputEmbed`:
 * y = x·Wᵀ + b where W is the target embedding's own weight [V, E] (the same Parameter, so it
 * is trained once, by both uses — Press & Wolf 2017, as in Vaswani et al. 2017 and fairseq's
 * `share_decoder_input_output_embed`) and b [V] its own bias, U(−1/√E, 1/√E) like Linear's.
 * State-dict names `weight` (the embedding's values, as torch lists a tied weight under both
 * names) and `bias`; `parameters()` lists the shared weight once.
 */
export class TiedLinear extends Module {
  static override readonly typeName: string = "TiedLinear";
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(weight: Parameter, rng: Generator) {
    super();
    const [, E] = weight.shape as [number, number];
    this.weight = this.registerParameter("weight", weight);
    const bound = 1 / Math.sqrt(E);
    this.bias = this.registerParameter("bias", uniform_(zeros([weight.shape[0]!], weight.dtype), -bound, bound, rng));
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.weight.shape[1]}, out_features=${this.weight.shape[0]}, tied`;
  }
}
