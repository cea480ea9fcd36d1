import { WordTokenizer, type TokenizerJSON } from "@heed/data";
import { loadEmojiClassification } from "@heed/datasets/node";
import type { LabelledPhrase } from "@heed/datasets";
import { crossEntropy } from "@heed/nn";
import { add, argmax, mul, softmax, tensor, type Generator, type Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { UsageError } from "../errors.js";
import type { AttentionMaps, Evaluation, EvaluateOptions, TaskDefinition, TaskRuntime, TrainData } from "../task.js";
import { confusionMatrix } from "../confusion.js";
import { accuracyOf, macroF1 } from "./classify-metrics.js";
import { AttentionClassifier, ClassifierEnsemble } from "./classify-model.js";
import { chunks, heldOutSlice, limited, percent, quoted, shuffledBatches, vocabField } from "./common-data.js";
import { mixerKind, mixerPanels } from "./common-mixer.js";
import { NearestPhrase } from "./common-nearest.js";
import { MAX_WORDS, padIds, wordCount, words } from "./common-seq.js";
import { SUBWORDS, subwordBatch, type SubwordOptions } from "./common-subword.js";
import { WORDNET_FEATURES, wordNetFeatureIds, type WordNetFeatureOptions } from "./classify-wordnet.js";

const EVAL_BATCH = 256;

interface ClassifyVocab {
  words: TokenizerJSON;
  groups: string[];
  subwords: SubwordOptions;
  /** Ensemble members (absent in older checkpoints: one model). */
  members?: number;
  /** WordNet features after the n-grams (absent in checkpoints written before them: none). */
  wordnet?: WordNetFeatureOptions;
}

/**
 * Classifiers trained side by side from different initialisations; their mean logits classify
 * (see apps/cli/RECIPES.md). 2 since the WordNet features (the fifth round): 3 with them did not
 * fit the 5-minute budget.
 */
export const MEMBERS = 2;

interface Example {
  text: string;
  words: string[];
  ids: number[];
  label: number;
}

function create(config: TrainConfig, rng: Generator, vocab?: unknown, trainData: TrainData = {}): TaskRuntime {
  const kind = mixerKind("classify", config.attention);
  const data = loadEmojiClassification("en");
  // the phrases trained on: the training split, with the validation split (--refit's phase 2) or without a held-out slice
  const trainPhrases = trainingPhrases(data.train, data.valid, trainData, config.seed);
  // words seen once in training become <unk>, so the model also learns to rely on the n-grams of unseen words
  const tok = vocab === undefined
    ? WordTokenizer.fromCorpus(trainPhrases.map((p) => words(p.text).join(" ")), { minFreq: 2 })
    : WordTokenizer.fromJSON(vocabField<TokenizerJSON>("classify", vocab, "words"));
  const groups = vocab === undefined ? data.groupNames : vocabField<string[]>("classify", vocab, "groups");
  const subwords = vocab === undefined ? SUBWORDS : vocabField<SubwordOptions>("classify", vocab, "subwords");
  // WordNet features beside the n-grams (the fifth round); a checkpoint written before has none
  const wordnet = vocab === undefined ? WORDNET_FEATURES : (vocab as ClassifyVocab).wordnet;
  // the data set's words get their features up front, so WordNet can be let go before training
  const extra = wordnet === undefined ? undefined : wordNetFeatureIds(wordnet, subwords.buckets, [...data.train, ...data.valid, ...data.test].flatMap((p) => words(p.text)));
  const example = (text: string, label: number): Example => {
    const ws = words(text);
    return { text, words: ws, ids: tok.vocab.encode(ws), label };
  };
  const fromPhrase = (p: LabelledPhrase): Example => example(p.text, p.group);
  const splits = { train: trainPhrases.map(fromPhrase), valid: data.valid.map(fromPhrase), test: data.test.map(fromPhrase) };
  const members = vocab === undefined ? MEMBERS : ((vocab as ClassifyVocab).members ?? 1);
  const build = () => new AttentionClassifier({
    vocabSize: tok.size, buckets: subwords.buckets + (wordnet?.buckets ?? 0), classes: groups.length, kind, dModel: config.dModel, heads: config.heads, layers: config.layers, dropout: config.dropout, maxLen: MAX_WORDS, rng,
  });
  const model = members > 1 ? new ClassifierEnsemble(Array.from({ length: members }, build)) : build();
  const single = model instanceof ClassifierEnsemble ? model.first : model;
  const inputsOf = (examples: readonly Example[]): { ids: Tensor; padding: Tensor; grams: Tensor; scale: Tensor } => {
    const { ids, padding } = padIds(examples.map((e) => (e.ids.length > 0 ? e.ids : [tok.vocab.unkId!])));
    return { ids, padding, ...subwordBatch(examples.map((e) => e.words), subwords, extra) };
  };
  const logitsOf = (examples: readonly Example[]): Tensor => {
    const x = inputsOf(examples);
    return model.forward(x.ids, x.padding, x.grams, x.scale);
  };
  const lossOf = (examples: readonly Example[]): Tensor => {
    const target = tensor(examples.map((e) => e.label), [examples.length], "int32");
    const ce = (logits: Tensor) => crossEntropy(logits, target, { labelSmoothing: config.labelSmoothing });
    if (!(model instanceof ClassifierEnsemble)) return ce(logitsOf(examples));
    const x = inputsOf(examples);
    const losses = model.each((m) => ce(m.forward(x.ids, x.padding, x.grams, x.scale)));
    return mul(losses.reduce((a, b) => add(a, b)), 1 / losses.length);
  };
  const checkInput = (raw: string): Example => {
    const e = example(raw, 0);
    if (e.ids.length === 0) throw new UsageError("classify: empty input phrase");
    const n = wordCount(raw);
    if (n > MAX_WORDS) throw new UsageError(`classify: ${quoted(raw)} has ${n} words and marks, more than the ${MAX_WORDS} the model reads`);
    return e;
  };
  const answers = (logits: Tensor): string[] => {
    const probs = softmax(logits, -1);
    const C = groups.length;
    const best = argmax(probs, -1).data;
    return Array.from(best, (b, i) => `${groups[b]} (${percent(Number(probs.data[i * C + b]))})`);
  };
  // the strong simple baseline: the group of the nearest training phrase (computed once per split)
  let nearest: NearestPhrase | null = null;
  const baselineCache = new Map<string, number[]>();
  const baselineOf = (split: "valid" | "test"): number[] => {
    let pred = baselineCache.get(split);
    if (pred === undefined) {
      nearest ??= new NearestPhrase(data.train.map((p) => p.text));
      pred = splits[split].map((e) => data.train[nearest!.nearest(e.text)]!.group);
      baselineCache.set(split, pred);
    }
    return pred;
  };

  return {
    model,
    trainSize: splits.train.length,
    testSize: splits.test.length,
    batches: (epoch) => shuffledBatches(splits.train.length, config.batchSize, config.seed, epoch),
    batchSize: (batch) => (batch as number[]).length,
    loss: (batch) => lossOf((batch as number[]).map((i) => splits.train[i]!)),
    evaluate(split: "valid" | "test", limit: number, options: EvaluateOptions = {}): Evaluation {
      const all = splits[split];
      let lossSum = 0;
      const pred: number[] = [];
      for (const part of chunks(all, EVAL_BATCH)) {
        const logits = logitsOf(part);
        lossSum += crossEntropy(logits, tensor(part.map((e) => e.label), [part.length], "int32")).item() * part.length;
        pred.push(...Array.from(argmax(logits, -1).data, Number));
      }
      if (options.lossOnly === true) return { loss: lossSum / Math.max(all.length, 1), metrics: {} };
      const counted = limited(all, limit);
      const target = counted.map((e) => e.label);
      const model = confusionMatrix(pred.slice(0, counted.length), target, groups.length);
      const base = confusionMatrix(baselineOf(split).slice(0, counted.length), target, groups.length);
      return {
        loss: lossSum / Math.max(all.length, 1),
        metrics: { accuracy: accuracyOf(model), macroF1: macroF1(model), nearestAccuracy: accuracyOf(base), nearestMacroF1: macroF1(base), phrases: counted.length },
        confusion: { labels: groups, counts: model },
      };
    },
    formatMetrics: (m) =>
      m.accuracy === undefined ? "" : `Accuracy: ${percent(m.accuracy)}, macro-F1: ${percent(m.macroF1 ?? 0)} (nearest training phrase: ${percent(m.nearestAccuracy ?? 0)}, ${percent(m.nearestMacroF1 ?? 0)})`,
    selection: { metric: "validLoss", higherIsBetter: false },
    predict: (inputs) => answers(logitsOf(inputs.map(checkInput))),
    onnx: {
      example: () => inputsOf(["red heart", "smiling cat face"].map(checkInput)),
      dynamicAxes: { ids: ["batch", "seq"], padding: ["batch", "seq"], grams: ["batch", "seq", "grams"], scale: ["batch", "seq", null] },
      outputNames: ["logits"],
      forward: (x) => [model.forward(x.ids!, x.padding!, x.grams!, x.scale!)],
      predict: async (inputs, run) => answers((await run(inputsOf(inputs.map(checkInput))))[0]!),
    },
    attention(input: string): AttentionMaps {
      const e = checkInput(input);
      const labels = e.ids.map((id, i) => (id === tok.vocab.unkId ? `${e.words[i]}?` : tok.vocab.tokenOf(id)));
      const x = inputsOf([e]);
      const { h, weights } = single.encode(x.ids, x.padding, x.grams, x.scale, true);
      const pool = single.pool.forward(h, x.padding).weights;
      const panels = mixerPanels(weights.map((w, l) => ({ title: `layer ${l + 1} self-attention (${kind})`, weights: w })));
      // the pooling weights on the diagonal, so they share the panels' word × word layout
      const diagonal = labels.map((_, i) => labels.map((__, j) => (i === j ? Number(pool.data[i]) : 0)));
      panels.push({ title: "attention pooling (diagonal: how much each word decides the class)", weights: diagonal });
      return { rows: labels, cols: labels, panels };
    },
    vocab: (): ClassifyVocab => ({ words: tok.toJSON(), groups, subwords, ...(members > 1 ? { members } : {}), ...(wordnet === undefined ? {} : { wordnet }) }),
  };
}

/**
 * The phrases a classify run trains on: the training split; with `withValid`, the training then
 * the validation split; with `holdOut` n, the training split without a random n of its phrases
 * (`heldOutSlice`, drawn from the run's seed), in their original order.
 */
export function trainingPhrases<T>(train: readonly T[], valid: readonly T[], data: TrainData, seed: number): T[] {
  if (data.withValid === true && (data.holdOut ?? 0) > 0) throw new UsageError("classify: the training data takes withValid or holdOut, not both");
  if (data.withValid === true) return [...train, ...valid];
  const out = heldOutSlice(train.length, data.holdOut ?? 0, seed);
  return train.filter((_, i) => !out.has(i));
}

export const classifyTask: TaskDefinition = {
  name: "classify",
  refit: true,
  description: "emoji annotation phrase -> emoji group (smileys, animals & nature, food, travel, ...) with an attention encoder over word + character n-gram + WordNet feature embeddings and attention pooling; accuracy and macro-F1 next to the nearest-training-phrase baseline",
  defaults: {
    epochs: 60, batchSize: 32, lr: 2e-3, seed: 1, dModel: 64, heads: 4, layers: 1, ff: 128, dropout: 0.3,
    maxMinutes: 5, maxSteps: 0, warmup: 0, labelSmoothing: 0.1, attention: "residual", evalSize: 0, patience: 15, beam: 1, locales: ["en", "zh"],
    // phase 2 on training + validation for phase 1's best epoch count: adopted by the rule in apps/cli/RECIPES.md
    refit: true,
  },
  create,
};
