import { WordTokenizer, type TokenizerJSON } from "@heed/data";
import { loadEmojiClassification } from "@heed/datasets/node";
import type { LabelledPhrase } from "@heed/datasets";
import { crossEntropy } from "@heed/nn";
import { argmax, softmax, tensor, type Generator, type Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "../config.js";
import { UsageError } from "../errors.js";
import type { AttentionMaps, Evaluation, TaskDefinition, TaskRuntime } from "../task.js";
import { AttentionClassifier } from "./classify-model.js";
import { chunks, limited, percent, shuffledBatches, vocabField } from "./common-data.js";
import { mixerKind, mixerPanels } from "./common-mixer.js";
import { MAX_WORDS, padIds, words } from "./common-seq.js";

const EVAL_BATCH = 256;

interface ClassifyVocab {
  words: TokenizerJSON;
  groups: string[];
  majority: number;
}

interface Example {
  ids: number[];
  label: number;
}

function create(config: TrainConfig, rng: Generator, vocab?: unknown): TaskRuntime {
  const kind = mixerKind("classify", config.attention);
  const data = loadEmojiClassification("en");
  // words seen once in training become <unk>, so the model also learns what to do with unseen words
  const tok = vocab === undefined
    ? WordTokenizer.fromCorpus(data.train.map((p) => words(p.text).join(" ")), { minFreq: 2 })
    : WordTokenizer.fromJSON(vocabField<TokenizerJSON>("classify", vocab, "words"));
  const groups = vocab === undefined ? data.groupNames : vocabField<string[]>("classify", vocab, "groups");
  const counts = new Array<number>(groups.length).fill(0);
  for (const p of data.train) counts[p.group]!++;
  const majority = vocab === undefined ? counts.indexOf(Math.max(...counts)) : vocabField<number>("classify", vocab, "majority");
  const encode = (text: string): number[] => tok.vocab.encode(words(text));
  const example = (p: LabelledPhrase): Example => ({ ids: encode(p.text), label: p.group });
  const splits = { train: data.train.map(example), valid: data.valid.map(example), test: data.test.map(example) };
  const model = new AttentionClassifier({
    vocabSize: tok.size, classes: groups.length, kind, dModel: config.dModel, heads: config.heads, layers: config.layers, dropout: config.dropout, maxLen: MAX_WORDS, rng,
  });
  const logitsOf = (examples: readonly Example[]): Tensor => {
    const { ids, padding } = padIds(examples.map((e) => (e.ids.length > 0 ? e.ids : [tok.vocab.unkId!])));
    return model.forward(ids, padding);
  };
  const lossOf = (examples: readonly Example[]): Tensor => crossEntropy(logitsOf(examples), tensor(examples.map((e) => e.label), [examples.length], "int32"), { labelSmoothing: config.labelSmoothing });
  const checkInput = (raw: string): number[] => {
    const ids = encode(raw);
    if (ids.length === 0) throw new UsageError("classify: empty input phrase");
    return ids;
  };

  return {
    model,
    trainSize: splits.train.length,
    testSize: splits.test.length,
    batches: (epoch) => shuffledBatches(splits.train.length, config.batchSize, config.seed, epoch),
    batchSize: (batch) => (batch as number[]).length,
    loss: (batch) => lossOf((batch as number[]).map((i) => splits.train[i]!)),
    evaluate(split: "valid" | "test", limit: number): Evaluation {
      const all = splits[split];
      let lossSum = 0;
      let right = 0;
      let baseline = 0;
      const counted = limited(all, limit).length;
      chunks(all, EVAL_BATCH).forEach((part, c) => {
        const logits = logitsOf(part);
        lossSum += crossEntropy(logits, tensor(part.map((e) => e.label), [part.length], "int32")).item() * part.length;
        const pred = argmax(logits, -1).data;
        part.forEach((e, i) => {
          if (c * EVAL_BATCH + i >= counted) return;
          if (pred[i] === e.label) right++;
          if (majority === e.label) baseline++;
        });
      });
      return { loss: lossSum / Math.max(all.length, 1), metrics: { accuracy: right / Math.max(counted, 1), baseline: baseline / Math.max(counted, 1), phrases: counted } };
    },
    formatMetrics: (m) => (m.accuracy === undefined ? "" : `Accuracy: ${percent(m.accuracy)} (majority-class baseline: ${percent(m.baseline ?? 0)})`),
    selection: { metric: "validLoss", higherIsBetter: false },
    predict(inputs: string[]): string[] {
      const examples = inputs.map((raw) => ({ ids: checkInput(raw), label: 0 }));
      const probs = softmax(logitsOf(examples), -1);
      const C = groups.length;
      const best = argmax(probs, -1).data;
      return examples.map((_, i) => `${groups[best[i]!]} (${percent(Number(probs.data[i * C + best[i]!]))})`);
    },
    attention(input: string): AttentionMaps {
      const ids = checkInput(input);
      const labels = ids.map((id, i) => (id === tok.vocab.unkId ? `${words(input)[i]}?` : tok.vocab.tokenOf(id)));
      const { ids: x, padding } = padIds([ids]);
      const { h, weights } = model.encode(x, padding, true);
      const pool = model.pool.forward(h, padding).weights;
      const panels = mixerPanels(weights.map((w, l) => ({ title: `layer ${l + 1} self-attention (${kind})`, weights: w })));
      // the pooling weights on the diagonal, so they share the panels' word × word layout
      const diagonal = labels.map((_, i) => labels.map((__, j) => (i === j ? Number(pool.data[i]) : 0)));
      panels.push({ title: "attention pooling (diagonal: how much each word decides the class)", weights: diagonal });
      return { rows: labels, cols: labels, panels };
    },
    vocab: (): ClassifyVocab => ({ words: tok.toJSON(), groups, majority }),
  };
}

export const classifyTask: TaskDefinition = {
  name: "classify",
  description: "emoji annotation phrase -> emoji group (smileys, animals & nature, food, travel, ...) with an attention encoder and attention pooling",
  defaults: {
    epochs: 20, batchSize: 32, lr: 2e-3, seed: 1, dModel: 64, heads: 4, layers: 1, ff: 128, dropout: 0.1,
    maxMinutes: 5, maxSteps: 0, warmup: 0, labelSmoothing: 0, attention: "residual", evalSize: 0, beam: 1, locales: ["en", "zh"],
  },
  create,
};
