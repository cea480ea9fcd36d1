import { checkOptions, add, describeValue, formatShape, gather, logSoftmax, mul, neg, permute, reshape, shapesEqual, sum, Tensor } from "@heed/tensor-core";
import { checkReduction, reduce, type Reduction } from "./reduction.js";
import { softmaxCrossEntropy } from "./softmax-cross-entropy.js";
import { tensorArg } from "../tensor-arg.js";

export interface CrossEntropyOptions {
  /** Per-class weights [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (not even to the 'mean' denominator). Default −100. */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C. Default 0. */
  labelSmoothing?: number;
}

/** [N, C, d1, ...] (or [C]) log-probabilities/logits → rows [M, C] plus the target shape checks. */
function toRows(op: string, input: Tensor, target: Tensor): { rows: Tensor; C: number; outShape: number[] } {
  if (target.dtype !== "int32") {
    throw new Error(`${op}: target must hold int32 class indices, got dtype '${target.dtype}' (input: ${formatShape(input.shape)}, target: ${formatShape(target.shape)})`);
  }
  const bad = (): never => {
    throw new Error(`${op}: target shape ${formatShape(target.shape)} does not match input ${formatShape(input.shape)} (expected input [N, C, d1, ...] with target [N, d1, ...], or input [C] with a scalar target)`);
  };
  if (input.rank === 0) bad();
  if (input.rank === 1) {
    if (target.rank !== 0) bad();
    return { rows: reshape(input, [1, input.shape[0]!]), C: input.shape[0]!, outShape: [] };
  }
  const [N, C, ...rest] = input.shape as number[];
  const expected = [N!, ...rest];
  if (target.rank !== expected.length || target.shape.some((d, i) => d !== expected[i])) bad();
  if (input.rank === 2) return { rows: input, C: C!, outShape: expected };
  const perm = [0, ...rest.map((_, i) => i + 2), 1];
  const M = target.size;
  return { rows: reshape(permute(input, perm), [M, C!]), C: C!, outShape: expected };
}

/**
 * Negative log-likelihood of int32 class targets given log-probabilities `logp` rows [M, C]:
 * the per-row loss −w[y]·logp[y] (0 for ignored rows) and Σ w[y] over kept rows.
 */
function nllRows(op: string, logp: Tensor, target: Tensor, C: number, weight: Tensor | null, ignoreIndex: number): { loss: Tensor; weightSum: number; valid: Float64Array; allIgnored: boolean } {
  const M = target.size;
  const t = target.data;
  const w = weight?.data;
  const flat = new Int32Array(M);
  const coef = logp.dtype === "float64" ? new Float64Array(M) : new Float32Array(M);
  const valid = new Float64Array(M);
  let weightSum = 0;
  let kept = 0;
  for (let i = 0; i < M; i++) {
    const y = t[i]!;
    if (y === ignoreIndex) {
      flat[i] = i * C + largestColumn(logp.data, i * C, C); // finite even if other columns are -Infinity
      continue;
    }
    if (y < 0 || y >= C) throw new Error(`${op}: target ${y} at flat position ${i} is out of range for ${C} classes (ignoreIndex ${ignoreIndex})`);
    const wy = w === undefined ? 1 : w[y]!;
    flat[i] = i * C + y;
    coef[i] = -wy;
    valid[i] = 1;
    kept++;
    weightSum += wy;
  }
  const picked = gather(reshape(logp, [M * C]), new Tensor(flat, [M], "int32"));
  return { loss: mul(picked, new Tensor(coef, [M], logp.dtype)), weightSum, valid, allIgnored: kept === 0 };
}

function largestColumn(d: ArrayLike<number>, offset: number, C: number): number {
  let best = 0;
  for (let c = 1; c < C; c++) if (d[offset + c]! > d[offset + best]!) best = c;
  return best;
}

function checkWeight(op: string, weight: Tensor | null, C: number, input: Tensor): void {
  if (weight !== null && !(weight instanceof Tensor)) throw new Error(`${op}: weight must be a float Tensor of shape [${C}] (one per class), got ${describeValue(weight)}`);
  if (weight !== null && (weight.rank !== 1 || weight.shape[0] !== C)) {
    throw new Error(`${op}: weight must have shape [${C}] (one per class), got ${formatShape(weight.shape)} (input: ${formatShape(input.shape)})`);
  }
  if (weight !== null && weight.dtype !== "float32" && weight.dtype !== "float64") {
    throw new Error(`${op}: weight must be a float tensor (float32 or float64), got dtype '${weight.dtype}' (input: ${formatShape(input.shape)})`);
  }
}

/** `ignoreIndex` is a class index: an integer (a fraction would silently match no target). */
function checkIgnoreIndex(op: string, ignoreIndex: unknown): void {
  if (typeof ignoreIndex !== "number" || !Number.isInteger(ignoreIndex)) {
    throw new Error(`${op}: ignoreIndex must be an integer (PyTorch's default is -100), got ${describeValue(ignoreIndex)}`);
  }
}

/**
 * Cross-entropy between logits and int32 class targets (torch.nn.functional.cross_entropy):
 * logits [N, C] with target [N], [N, C, d1, ...] with [N, d1, ...], or [C] with a scalar.
 * Per element, with logp = logSoftmax over C, ε = labelSmoothing and w the class weights (1 if
 * absent): ℓ = (1 − ε)·(−w[y]·logp[y]) + (ε / C)·(−Σ_c w[c]·logp[c]); ignored targets give 0.
 * 'mean' divides the sum by Σ w[y] over non-ignored targets (their count without weights),
 * exactly as PyTorch does — NaN if every target is ignored, with a zero gradient (PyTorch's too:
 * ignored targets get no gradient), so a fully padded batch leaves the weights finite. Stable for
 * any finite logits. Without class weights it records ONE node: the backend's fused
 * `softmaxCrossEntropy` kernel gives the loss and its gradient in one pass over the logits
 * (float64 accumulation; within float32 rounding of the composition `crossEntropyComposite`).
 * A float `target` of the logits' shape holds class probabilities instead (PyTorch's soft
 * targets): ℓ = −Σ_c w[c]·((1 − ε)·t[c] + ε/C)·logp[c], 'mean' dividing by the number of rows;
 * `ignoreIndex` does not apply to them and, given with them, throws (PyTorch ignores it silently).
 *
 * @example
 * crossEntropy(logits, targets, { ignoreIndex: 0, labelSmoothing: 0.1 });
 */
export function crossEntropy(logits: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor {
  const given = checkOptions("crossEntropy", options, { weight: true, ignoreIndex: true, reduction: true, labelSmoothing: true });
  const { weight = null, ignoreIndex = -100, reduction = "mean", labelSmoothing = 0 } = given;
  const op = "crossEntropy";
  tensorArg(op, "input", logits);
  tensorArg(op, "target", target);
  checkReduction(op, reduction);
  checkIgnoreIndex(op, ignoreIndex);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new Error(`${op}: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  if (target.dtype !== "int32" && shapesEqual(target.shape, logits.shape)) {
    // PyTorch ignores ignore_index silently here; Heed says so rather than ignore an option
    if (given.ignoreIndex !== undefined) {
      throw new Error(`${op}: ignoreIndex applies to int32 class-index targets, but target ${formatShape(target.shape)} (${target.dtype}, the input's shape) holds class probabilities; leave ignoreIndex out, or give int32 class indices`);
    }
    return softTargets(logits, target, weight, reduction, labelSmoothing);
  }
  const { rows, C, outShape } = toRows(op, logits, target);
  checkWeight(op, weight, C, logits);
  if (weight === null && (rows.dtype === "float32" || rows.dtype === "float64")) {
    checkTargets(op, target, C, ignoreIndex);
    return softmaxCrossEntropy(rows, target, ignoreIndex, labelSmoothing, reduction, outShape);
  }
  return composedRows(op, rows, target, C, outShape, weight, ignoreIndex, reduction, labelSmoothing);
}

/**
 * `crossEntropy` with int32 targets composed from public ops (logSoftmax, gather, sums): the
 * path with class weights, and the test oracle of the fused one (`softmaxCrossEntropy`).
 */
export function crossEntropyComposite(logits: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = "mean", labelSmoothing = 0 } = options ?? {};
  const { rows, C, outShape } = toRows("crossEntropy", logits, target);
  return composedRows("crossEntropy", rows, target, C, outShape, weight, ignoreIndex, reduction, labelSmoothing);
}

function checkTargets(op: string, target: Tensor, C: number, ignoreIndex: number): void {
  const t = target.data;
  for (let i = 0; i < t.length; i++) {
    const y = t[i]!;
    if (y !== ignoreIndex && !(y >= 0 && y < C)) throw new Error(`${op}: target ${y} at flat position ${i} is out of range for ${C} classes (ignoreIndex ${ignoreIndex})`);
  }
}

function composedRows(op: string, rows: Tensor, target: Tensor, C: number, outShape: number[], weight: Tensor | null, ignoreIndex: number, reduction: Reduction, labelSmoothing: number): Tensor {
  const logp = logSoftmax(rows, 1);
  const nll = nllRows(op, logp, target, C, weight, ignoreIndex);
  let loss = nll.loss;
  if (labelSmoothing > 0) {
    const M = target.size;
    const perRow = weight === null ? sum(logp, 1) : sum(mul(logp, weight), 1);
    const scale = logp.dtype === "float64" ? new Float64Array(M) : new Float32Array(M);
    for (let i = 0; i < M; i++) scale[i] = -(labelSmoothing / C) * nll.valid[i]!;
    const smooth = mul(perRow, new Tensor(scale, [M], logp.dtype));
    loss = add(mul(loss, 1 - labelSmoothing), smooth);
  }
  return reduce(reduction === "none" ? reshape(loss, outShape) : loss, reduction, nll.weightSum, nll.allIgnored);
}

/**
 * Class-probability targets (same shape as the logits): ℓ = −Σ_c w[c]·t'[c]·logp[c] with
 * t' = (1 − ε)·t + ε/C; 'mean' divides by the number of rows (PyTorch's soft-target branch).
 */
function softTargets(logits: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, eps: number): Tensor {
  const op = "crossEntropy";
  if (target.dtype !== "float32" && target.dtype !== "float64") throw new Error(`${op}: probability targets must be float, got '${target.dtype}' (input: ${formatShape(logits.shape)})`);
  const classAxis = logits.rank === 1 ? 0 : 1;
  const C = logits.shape[classAxis]!;
  checkWeight(op, weight, C, logits);
  const logp = logSoftmax(logits, classAxis);
  const t = eps > 0 ? add(mul(target, 1 - eps), eps / C) : target;
  let prod = mul(logp, t);
  if (weight !== null) prod = mul(prod, logits.rank > 2 ? reshape(weight, [C, ...logits.shape.slice(2).map(() => 1)]) : weight);
  const loss = neg(sum(prod, classAxis));
  return reduce(loss, reduction, C === 0 ? 0 : logits.size / C);
}

/**
 * Negative log-likelihood loss on log-probabilities (torch.nn.functional.nll_loss), same
 * shapes, weights, ignoreIndex and 'mean' normalisation as `crossEntropy` (which is
 * `nllLoss(logSoftmax(logits, 1), target)` plus label smoothing).
 */
export function nllLoss(logp: Tensor, target: Tensor, options?: Omit<CrossEntropyOptions, "labelSmoothing">): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = "mean" } = checkOptions("nllLoss", options, { weight: true, ignoreIndex: true, reduction: true });
  const op = "nllLoss";
  tensorArg(op, "input", logp);
  tensorArg(op, "target", target);
  checkReduction(op, reduction);
  checkIgnoreIndex(op, ignoreIndex);
  const { rows, C, outShape } = toRows(op, logp, target);
  checkWeight(op, weight, C, logp);
  const nll = nllRows(op, rows, target, C, weight, ignoreIndex);
  return reduce(reduction === "none" ? reshape(nll.loss, outShape) : nll.loss, reduction, nll.weightSum, nll.allIgnored);
}

