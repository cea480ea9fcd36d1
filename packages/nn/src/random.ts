import { describeValue, Generator } from "@heed/tensor-core";

/** The seed of nn's default generator until `manualSeed` is called. */
export const DEFAULT_SEED = 0;

let defaultGenerator = new Generator(DEFAULT_SEED);

/**
 * Reseed nn's default generator (like `torch.manual_seed`): layers created without an explicit
 * `{ rng }` draw their initial weights (and dropout masks) from it, so the same seed gives the
 * same model. Returns the new generator.
 *
 * @example
 * manualSeed(42);
 * const a = new Linear(4, 2);
 * manualSeed(42);
 * const b = new Linear(4, 2);   // same weights as a
 */
export function manualSeed(seed: number | string): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}

/** nn's current default generator. */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/** `rng` if given, else the default generator. */
export function resolveGenerator(rng: Generator | undefined, fn = "rng"): Generator {
  if (rng !== undefined && !(rng instanceof Generator)) checkGenerator(fn, rng);
  return rng ?? defaultGenerator;
}

/** `rng` must be undefined (nn's default generator) or a Generator; the error names `fn`. */
export function checkGenerator(fn: string, rng: unknown): void {
  if (rng !== undefined && !(rng instanceof Generator)) {
    throw new Error(`${fn}: expected 'rng' to be a Generator (new Generator(seed)) or left out for nn's default one, got ${describeValue(rng)}`);
  }
}
