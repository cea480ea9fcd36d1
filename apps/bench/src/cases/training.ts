/**
 * One training step — forward, backward, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8) — of
 * (a) x + MultiHeadAttention(x) and (b) a 2-layer post-norm Transformer encoder
 * (F = 4E, ReLU, dropout 0), loss = mean((model(x) − target)²).
 * FLOPs: 3× forward; forward (a) 8·B·L·E² + 4·B·L²·E, (b) per layer that plus 4·B·L·E·F.
 * The check runs three steps from the same initial weights and compares the three losses.
 */
import { randomNormal } from "../data.js";
import { need, type HeedCtx, type HeedModule, type Tensor } from "../heed/api.js";
import { heedInput, heedStateDict, toFloat32 } from "../heed/prepared.js";
import type { Tf } from "../peers/tfjs.js";
import type { BenchCase, Prepared } from "../types.js";
import { MHA_SIZES, mhaFlops, type BlockInputs } from "./mha.js";
import { encoderLayerWeights, mhaWeights } from "./transformer-params.js";
import { tfEncoderLayer, tfMha, tfParams } from "./transformer-tf.js";

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
const LAYERS = 2;
const CHECK_STEPS = 3;

type Model = "mha" | "encoder";

/** Heed: modules loaded with the shared weights, Adam over their parameters. */
function heedTrainer(ctx: HeedCtx, i: BlockInputs, model: Model): () => number {
  const { Adam, add, sub, square, mean } = need(ctx, ["Adam", "add", "sub", "square", "mean"]);
  const shape = [i.B, i.L, i.E];
  const x = heedInput(ctx, i.x, shape);
  const target = heedInput(ctx, i.y, shape);
  let modules: HeedModule[];
  let forward: (x: Tensor) => Tensor;
  if (model === "mha") {
    const { MultiHeadAttention } = need(ctx, ["MultiHeadAttention"]);
    const mha = new MultiHeadAttention({ embedDim: i.E, numHeads: i.H });
    mha.loadStateDict(heedStateDict(ctx, i.weights));
    modules = [mha];
    forward = (t) => add(t, mha.forward(t, t, t, { needWeights: false }).output);
  } else {
    const { TransformerEncoderLayer } = need(ctx, ["TransformerEncoderLayer"]);
    const layers = Array.from({ length: LAYERS }, (_, l) => {
      const layer = new TransformerEncoderLayer({ dModel: i.E, nhead: i.H, dimFeedforward: 4 * i.E, dropout: 0 });
      layer.loadStateDict(heedStateDict(ctx, encoderLayerWeights(i.E, 4 * i.E, l)));
      return layer;
    });
    modules = layers;
    forward = (t) => layers.reduce((h, layer) => layer.forward(h), t);
  }
  const opt = new Adam(modules.flatMap((m) => m.parameters()), { lr: ADAM.lr, betas: [ADAM.beta1, ADAM.beta2], eps: ADAM.eps });
  return () => {
    opt.zeroGrad();
    const loss = mean(square(sub(forward(x), target)));
    loss.backward();
    opt.step();
    return toFloat32(loss)[0]!;
  };
}

/** tfjs: variables from the shared weights, `tf.train.adam().minimize`. */
function tfTrainer(tf: Tf, i: BlockInputs, model: Model): () => number {
  const shape = [i.B, i.L, i.E];
  const x = tf.tensor(i.x, shape, "float32");
  const target = tf.tensor(i.y, shape, "float32");
  const params = model === "mha" ? [tfParams(tf, i.weights, true)] : Array.from({ length: LAYERS }, (_, l) => tfParams(tf, encoderLayerWeights(i.E, 4 * i.E, l), true));
  const vars = params.flatMap((ps) => Object.values(ps)) as ReturnType<Tf["variable"]>[];
  const opt = tf.train.adam(ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
  const forward = (t: typeof x) =>
    model === "mha" ? tf.add(t, tfMha(tf, t, params[0]!, i.H)) : params.reduce((h, ps) => tfEncoderLayer(tf, h, ps, i.H), t);
  return () => {
    const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(forward(x), target))), true, vars);
    if (loss === null) throw new Error("tfjs: minimize returned no loss");
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  };
}

/** Timed: one step of a trainer made once. Check: CHECK_STEPS losses from a fresh trainer. */
function trainingPrepared(make: () => () => number): Prepared {
  const step = make();
  return {
    run: () => void step(),
    check: () => {
      const fresh = make();
      return Promise.resolve([Float32Array.from({ length: CHECK_STEPS }, () => fresh())]);
    },
  };
}

export function trainingCases(quick: boolean): BenchCase<BlockInputs>[] {
  const { B, L, E, H } = quick ? MHA_SIZES.quick : MHA_SIZES.full;
  const F = 4 * E;
  const inputs = (): BlockInputs => ({ B, L, E, H, x: randomNormal(B * L * E, 31), y: randomNormal(B * L * E, 32), weights: mhaWeights(E) });
  // One Adam step moves the loss by ~0.2% (MHA block) to ~2.5% (encoder): the tolerance must be
  // far tighter than that, or a missing or mis-scaled update would pass.
  const tolerance = { rtol: 2e-4, atol: 2e-5 };
  const make = (model: Model, id: string, title: string, flops: number, flopFormula: string): BenchCase<BlockInputs> => ({
    id,
    family: "training",
    title,
    flops,
    flopFormula,
    tolerance,
    inputs,
    impls: {
      heed: (ctx, i) => trainingPrepared(() => heedTrainer(ctx, i, model)),
      tfjs: ({ tf }, i) => trainingPrepared(() => tfTrainer(tf, i, model)),
    },
  });
  return [
    make("mha", "train/mha-residual", `Adam step of x + MHA(x), E=${E}, H=${H}, L=${L}, B=${B}`, 3 * mhaFlops(B, L, E), "3·(8·B·L·E² + 4·B·L²·E)"),
    make(
      "encoder",
      "train/encoder-2-layers",
      `Adam step of a ${LAYERS}-layer Transformer encoder, E=${E}, H=${H}, F=${F}, L=${L}, B=${B}`,
      3 * LAYERS * (mhaFlops(B, L, E) + 4 * B * L * E * F),
      "3·layers·(8·B·L·E² + 4·B·L²·E + 4·B·L·E·F)",
    ),
  ];
}
