import { RandomBatchSampler } from "@heed/data";
import { decimal } from "../config.js";
import { RuntimeError, UsageError } from "../errors.js";

/** Shuffled index batches of 0..n-1 for one epoch; a pure function of (seed, epoch). */
export function shuffledBatches(n: number, batchSize: number, seed: number, epoch: number): number[][] {
  return new RandomBatchSampler(n, { batchSize, shuffle: true, seed }).batches(epoch);
}

/**
 * A random `count` of the indices 0..n-1, a pure function of (n, count, seed): the training
 * examples the hold-out check leaves out (scripts/refit-proxy.ts).
 */
export function heldOutSlice(n: number, count: number, seed: number): Set<number> {
  if (!Number.isInteger(count) || count < 0 || count >= n) throw new UsageError(`heldOutSlice: expected an integer count from 0 to ${n - 1} (the training examples minus one), got ${count}`);
  // epoch 0 of the sampler: the training batches draw epochs 1, 2, …
  return new Set(shuffledBatches(n, n, seed, 0)[0]!.slice(0, count));
}

/** The first `limit` items (all of them when limit is 0 or larger than the list). */
export function limited<T>(items: readonly T[], limit: number): T[] {
  return limit > 0 && limit < items.length ? items.slice(0, limit) : items.slice();
}

/** Consecutive chunks of `size` items (the last may be shorter). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** 0.374 → "37.4%". */
export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Parse whitespace- or comma-separated numbers (a UsageError naming `fn` and the bad token otherwise). */
export function parseNumbers(fn: string, text: string): number[] {
  const parts = text.split(/[\s,]+/).filter((t) => t !== "");
  return parts.map((t) => {
    const v = decimal(t);
    if (!Number.isFinite(v)) throw new UsageError(`${fn}: ${quoted(t)} in ${quoted(text)} is not a number`);
    return v;
  });
}

/** An input as an error message quotes it: whole up to 60 characters, else its first 40, `…` and its length, so that one line stays one readable line. */
export function quoted(text: string): string {
  const chars = Array.from(text);
  return chars.length <= 60 ? `'${text}'` : `'${chars.slice(0, 40).join("")}…' (${chars.length} characters)`;
}

/** Read a task's saved vocab object field, with a clear error naming the task when missing. */
export function vocabField<T>(task: string, vocab: unknown, key: string): T {
  if (typeof vocab !== "object" || vocab === null || !(key in vocab)) throw new RuntimeError(`${task}: vocab.json has no '${key}' entry`);
  return (vocab as Record<string, unknown>)[key] as T;
}
