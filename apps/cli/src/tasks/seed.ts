import { regressionData } from "@heed/data";
import { mseLoss } from "@heed/nn";
import { indexSelect, tensor, type Generator, type Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { UsageError } from "../errors.js";
import type { Evaluation, TaskDefinition, TaskRuntime } from "../task.js";
import { parseNumbers, shuffledBatches, vocabField } from "./common-data.js";
import { mixerKind, mixerPanels } from "./common-mixer.js";
import { FeatureAttentionModel, SequenceAttentionModel, type SeedModel } from "./seed-model.js";

/**
 * `config.attention` value of the seed's own model (softmax weights over the features). It is
 * not one of the four sequence mechanisms, so it is only valid for this task.
 */
export const FEATURE_ATTENTION = "feature";
const SEED_EXAMPLES = 1000;
const SEED_FEATURES = 8;

interface SeedBatch {
  x: Tensor;
  y: Tensor;
}

interface SeedVocab {
  features: number;
  examples: number;
}

/** The model `config.attention` selects: the seed's feature softmax, or one of the four mechanisms over F tokens. */
export function seedModel(config: TrainConfig, features: number, rng: Generator): SeedModel {
  if ((config.attention as string) === FEATURE_ATTENTION) return new FeatureAttentionModel(features, rng);
  const kind = mixerKind("seed", config.attention);
  return new SequenceAttentionModel({ features, kind, dModel: config.dModel, heads: config.heads, layers: config.layers, dropout: config.dropout, rng });
}

function create(config: TrainConfig, rng: Generator, vocab?: unknown): TaskRuntime {
  const features = vocab === undefined ? SEED_FEATURES : vocabField<number>("seed", vocab, "features");
  const examples = vocab === undefined ? SEED_EXAMPLES : vocabField<number>("seed", vocab, "examples");
  const data = regressionData({ n: examples, features, seed: config.seed });
  const { train: nTrain, test: nTest } = seedSplitSizes(examples);
  const rows = (from: number, to: number): SeedBatch => {
    const idx = tensor(Array.from({ length: to - from }, (_, i) => from + i), [to - from], "int32");
    return { x: indexSelect(data.x, 0, idx), y: indexSelect(data.y, 0, idx) };
  };
  const train = rows(0, nTrain);
  const splits = { valid: rows(nTrain, nTrain + nTest), test: rows(nTrain + nTest, examples) };
  const model = seedModel(config, features, rng);
  const labels = Array.from({ length: features }, (_, i) => String(i + 1));

  const parseInput = (input: string): number[] => {
    const v = parseNumbers("seed", input);
    if (v.length !== features) throw new UsageError(`seed: expected ${features} numbers (the input features), got ${v.length} in '${input}'`);
    return v;
  };

  const answers = (xs: readonly number[][], pred: Tensor): string[] => xs.map((x, i) => {
    const clean = x.reduce((acc, v, f) => acc + v * data.weights[f]!, data.bias);
    return `${Number(pred.data[i]).toFixed(4)} (noise-free target ${clean.toFixed(4)})`;
  });

  return {
    model,
    trainSize: nTrain,
    testSize: nTest,
    batches(epoch: number): SeedBatch[] {
      return shuffledBatches(nTrain, config.batchSize, config.seed, epoch).map((b) => {
        const idx = tensor(b, [b.length], "int32");
        return { x: indexSelect(train.x, 0, idx), y: indexSelect(train.y, 0, idx) };
      });
    },
    batchSize: (batch) => (batch as SeedBatch).x.shape[0]!,
    loss: (batch) => mseLoss(model.forward((batch as SeedBatch).x), (batch as SeedBatch).y),
    evaluate(split: "valid" | "test"): Evaluation {
      const { x, y } = splits[split];
      const loss = mseLoss(model.forward(x), y).item();
      return { loss, metrics: { mse: loss } };
    },
    // the seed prints exactly `Epoch i/N, Loss: …, Test Loss: …`
    formatMetrics: () => "",
    selection: { metric: "mse", higherIsBetter: false },
    predict(inputs: string[]): string[] {
      const xs = inputs.map(parseInput);
      return answers(xs, model.forward(tensor(xs.flat(), [xs.length, features], "float32")));
    },
    onnx: {
      example: () => ({ x: splits.test.x }),
      dynamicAxes: { x: ["batch", null] },
      outputNames: ["y"],
      forward: ({ x }) => [model.forward(x!)],
      async predict(inputs, run) {
        const xs = inputs.map(parseInput);
        return answers(xs, (await run({ x: tensor(xs.flat(), [xs.length, features], "float32") }))[0]!);
      },
    },
    attention(input: string) {
      const x = parseInput(input);
      const layers = model.attentionLayers(tensor(x, [1, features], "float32"));
      const feature = model instanceof FeatureAttentionModel;
      return { rows: feature ? ["weight"] : labels, cols: labels, panels: mixerPanels(layers) };
    },
    vocab: (): SeedVocab => ({ features, examples }),
  };
}

export const seedTask: TaskDefinition = {
  name: "seed",
  description: "the seed article's model: softmax attention over the input features, a weighted sum and a Dense layer (MSE + Adam on seeded random regression data)",
  defaults: {
    epochs: 100, batchSize: 32, lr: 0.01, seed: 0, dModel: 16, heads: 2, layers: 1, ff: 32, dropout: 0,
    maxMinutes: 10, maxSteps: 0, warmup: 0, labelSmoothing: 0,
    // the seed's own feature-softmax model; --attention dot|scaled|multihead|residual picks a sequence model
    attention: FEATURE_ATTENTION,
    evalSize: 0, beam: 1, locales: ["en", "zh"],
  },
  create,
};

/** 80 % train, 10 % valid, 10 % test, in generation order. */
export function seedSplitSizes(examples: number): { train: number; valid: number; test: number } {
  const nTest = Math.floor(examples / 10);
  return { train: examples - 2 * nTest, valid: nTest, test: nTest };
}
