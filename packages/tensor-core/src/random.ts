import { describeValue } from "./options.js";

/**
 * Seeded random numbers that are identical on every platform: xoshiro128** on 32-bit
 * integer arithmetic (Math.imul, >>>), floats built from the top 24/53 bits, normals
 * by Box–Muller. Every random function takes a `Generator` made from a seed.
 */
export class Generator {
  /** The class name errors show (`describeValue`): set explicitly, since bundlers and minifiers rename classes. */
  static readonly typeName: string = "Generator";
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare: number | null = null;

  /**
   * A generator whose whole stream is a function of `seed` (any integer or string; a negative
   * integer gives the stream of its decimal string, `-1` that of `"-1"`). Anything
   * else (1.5, NaN, Infinity, an object) throws: such seeds would silently share a stream with
   * an integer one (1.5 and NaN would give seed 1's and seed 0's numbers).
   */
  constructor(seed: number | string = 0) {
    if (typeof seed !== "string" && !Number.isInteger(seed)) {
      throw new Error(`Generator: expected 'seed' to be an integer or a string, got ${describeValue(seed)}`);
    }
    // SplitMix32 expands the seed into the 128-bit state (never all zero).
    // A non-negative seed folds its two 32-bit words; a negative one is hashed as its decimal text
    // (the fold mapped -1 to 0's stream and -k to k − 1's).
    let h = typeof seed === "string" || seed < 0 ? hashString(String(seed)) : seed >>> 0 ^ Math.floor(seed / 4294967296) >>> 0;
    const next = (): number => {
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next() | 1;
  }

  /** The next uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A double uniformly distributed in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal sample (Box–Muller; the second value of each pair is kept). */
  nextNormal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniformly distributed in [low, high) without modulo bias. */
  nextInt(low: number, high: number): number {
    const range = high - low;
    if (!(range > 0) || !Number.isInteger(low) || !Number.isInteger(high)) {
      throw new Error(`randint: need integers low < high, got low=${low}, high=${high}`);
    }
    if (range <= 4294967296) {
      const limit = 4294967296 - (4294967296 % range);
      let x: number;
      do x = this.nextUint32();
      while (x >= limit);
      return low + (x % range);
    }
    return low + Math.floor(this.nextFloat() * range);
  }

  /** A new generator seeded from this one (for handing independent streams to sub-tasks). */
  fork(): Generator {
    return new Generator(this.nextUint32() * 4294967296 + this.nextUint32());
  }

  /** The internal state, for checkpoints; `Generator.fromState` restores it. */
  getState(): number[] {
    return [this.#s0, this.#s1, this.#s2, this.#s3, this.#spare ?? Number.NaN];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 5) throw new Error(`Generator.setState: expected 5 numbers, got ${state.length}`);
    [this.#s0, this.#s1, this.#s2, this.#s3] = state.map((x) => x >>> 0) as [number, number, number, number];
    const spare = state[4]!;
    this.#spare = Number.isNaN(spare) ? null : spare;
  }

  static fromState(state: readonly number[]): Generator {
    const g = new Generator(0);
    g.setState(state);
    return g;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Shorthand for `new Generator(seed)`. */
export function generator(seed: number | string = 0): Generator {
  return new Generator(seed);
}
