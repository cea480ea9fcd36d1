import { checkOptions, Generator, Tensor, type OptionKeys } from "@heed/tensor-core";

export interface SequenceTaskOptions {
  /** Number of examples. */
  n: number;
  minLen?: number;
  maxLen?: number;
  /** Token ids are drawn uniformly from [firstId, vocabSize). Default vocabSize 16. */
  vocabSize?: number;
  /** First usable id; ids below are left for specials (pad 0, bos 1, eos 2, unk 3). Default 4. */
  firstId?: number;
  seed?: number;
}

const TASK_KEYS: OptionKeys<SequenceTaskOptions> = { n: true, minLen: true, maxLen: true, vocabSize: true, firstId: true, seed: true };

/** A (source, target) pair of token ids. */
export interface SequencePair {
  src: number[];
  tgt: number[];
}

type SequenceTask = "copy" | "reverse" | "sort";

/**
 * Seeded toy sequence-to-sequence tasks: `copy` (tgt = src), `reverse` (tgt = src reversed),
 * `sort` (tgt = src sorted ascending). Lengths are uniform in [minLen, maxLen]. Errors name the
 * task's own function (`copyTask`, `reverseTask`, `sortTask`).
 */
function sequenceTask(task: SequenceTask, options: SequenceTaskOptions): SequencePair[] {
  const fn = `${task}Task`;
  const { n, minLen = 1, maxLen = 10, vocabSize = 16, firstId = 4, seed = 0 } = checkOptions(fn, options, TASK_KEYS);
  const settings = `n ${n}, minLen ${minLen}, maxLen ${maxLen}, vocabSize ${vocabSize}, firstId ${firstId}`;
  if (!Number.isInteger(n) || n < 0) throw new Error(`${fn}: n must be a non-negative integer (${settings})`);
  if (!Number.isInteger(minLen) || !Number.isInteger(maxLen) || minLen < 0 || maxLen < minLen) {
    throw new Error(`${fn}: need integers 0 <= minLen <= maxLen (${settings})`);
  }
  if (!Number.isInteger(firstId) || !Number.isInteger(vocabSize) || firstId < 0 || vocabSize <= firstId) {
    throw new Error(`${fn}: need integers 0 <= firstId < vocabSize (${settings})`);
  }
  const rng = new Generator(seed);
  const out: SequencePair[] = [];
  for (let k = 0; k < n; k++) {
    const len = rng.nextInt(minLen, maxLen + 1);
    const src = Array.from({ length: len }, () => rng.nextInt(firstId, vocabSize));
    const tgt = task === "copy" ? src.slice() : task === "reverse" ? src.slice().reverse() : src.slice().sort((a, b) => a - b);
    out.push({ src, tgt });
  }
  return out;
}

/**
 * Seeded copy task: tgt = src, lengths uniform in [minLen, maxLen] (see `SequenceTaskOptions`).
 *
 * @example
 * copyTask({ n: 1000, maxLen: 10, seed: 1 })[0]; // { src: [...], tgt: [...] }
 */
export const copyTask = (o: SequenceTaskOptions): SequencePair[] => sequenceTask("copy", o);
export const reverseTask = (o: SequenceTaskOptions): SequencePair[] => sequenceTask("reverse", o);
export const sortTask = (o: SequenceTaskOptions): SequencePair[] => sequenceTask("sort", o);

export interface RegressionOptions {
  n: number;
  /** Input features F (default 3). */
  features?: number;
  /** Std of the Gaussian noise added to y (default 0.1). */
  noise?: number;
  seed?: number;
}

const REGRESSION_KEYS: OptionKeys<RegressionOptions> = { n: true, features: true, noise: true, seed: true };

export interface RegressionData {
  /** float32 [n, F], uniform in [-1, 1). */
  x: Tensor;
  /** float32 [n, 1] = x·w + b + noise·ε, ε ~ N(0, 1). */
  y: Tensor;
  /** The true weights [F] (N(0, 1) draws) and bias (N(0, 1)). */
  weights: number[];
  bias: number;
}

/**
 * Random linear-regression data: X ~ U[-1, 1)^F, w ~ N(0, 1)^F, b ~ N(0, 1),
 * y = X·w + b + noise·N(0, 1). A model that learns should reach a mean squared error near
 * noise² (0.01 by default). Everything comes from one generator seeded with `seed`.
 */
export function regressionData(options: RegressionOptions): RegressionData {
  const { n, features = 3, noise = 0.1, seed = 0 } = checkOptions("regressionData", options, REGRESSION_KEYS);
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(features) || features < 1 || !(noise >= 0)) {
    throw new Error(`regressionData: need integer n >= 0, integer features >= 1 and noise >= 0 (n ${n}, features ${features}, noise ${noise})`);
  }
  const rng = new Generator(seed);
  const weights = Array.from({ length: features }, () => rng.nextNormal());
  const bias = rng.nextNormal();
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let acc = bias;
    for (let f = 0; f < features; f++) {
      const v = Math.fround(rng.nextFloat() * 2 - 1);
      x[i * features + f] = v;
      acc += v * weights[f]!;
    }
    y[i] = acc + noise * rng.nextNormal();
  }
  return { x: new Tensor(x, [n, features], "float32"), y: new Tensor(y, [n, 1], "float32"), weights, bias };
}
