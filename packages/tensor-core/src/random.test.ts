import { describe, expect, it } from "vitest";
import { Generator } from "./random.js";

describe("Generator", () => {
  it("the same seed gives the same stream; another seed another", () => {
    const draw = (seed: number | string): number[] => {
      const g = new Generator(seed);
      return Array.from({ length: 8 }, () => g.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw("a")).toEqual(draw("a"));
    expect(draw(7)).not.toEqual(draw(8));
    for (const x of draw(7)) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it("nextUint32 is roughly uniform (mean of 10^5 draws / 2^32 within 0.5 ± 0.005)", () => {
    const g = new Generator(3);
    const xs = Array.from({ length: 100_000 }, () => g.nextUint32());
    let s = 0;
    for (const x of xs) s += x / 2 ** 32;
    expect(Math.abs(s / xs.length - 0.5)).toBeLessThan(0.005);
  });
});

describe("Generator seeds", () => {
  it("a seed that is not an integer or a string throws instead of sharing an integer seed's stream", () => {
    for (const bad of [1.5, NaN, Infinity, -Infinity]) {
      expect(() => new Generator(bad)).toThrow(`Generator: expected 'seed' to be an integer or a string, got number ${bad}`);
    }
    expect(() => new Generator({ seed: 1 } as unknown as number)).toThrow("got an object {seed}");
    expect(() => new Generator(-1)).not.toThrow(); // negative integers are seeds, as in torch.manual_seed
    expect(() => new Generator(2 ** 60)).not.toThrow(); // fork() seeds with 64-bit integers
  });

  it("a negative seed has its own stream (the fold gave -1 seed 0's stream and -k seed k − 1's)", () => {
    const draw = (seed: number | string): number[] => {
      const g = new Generator(seed);
      return Array.from({ length: 4 }, () => g.nextUint32());
    };
    expect(draw(-1)).not.toEqual(draw(0));
    expect(draw(-2)).not.toEqual(draw(1));
    expect(draw(-1)).toEqual(draw("-1"));
    expect(draw(-1)).toEqual(draw(-1));
  });
});
