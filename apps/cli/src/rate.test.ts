import { describe, expect, it } from "vitest";
import { RateMeter } from "./rate.js";

describe("RateMeter", () => {
  it("averages over the window, so alternating fast and slow batches do not make it jump", () => {
    let t = 0;
    const meter = new RateMeter({ windowSeconds: 30, now: () => t });
    meter.start();
    const rates: number[] = [];
    for (let i = 0; i < 600; i++) {
      t += i % 2 === 0 ? 50 : 150; // 64 examples in 50 ms, then in 150 ms: 640 ex/s on average
      rates.push(meter.add(64));
    }
    expect(rates.at(-1)).toBeCloseTo(640, 0);
    const late = rates.slice(100);
    expect(Math.max(...late) / Math.min(...late)).toBeLessThan(1.01);
  });

  it("follows a lasting change within one window", () => {
    let t = 0;
    const meter = new RateMeter({ windowSeconds: 10, now: () => t });
    meter.start();
    let r = 0;
    for (let i = 0; i < 200; i++) r = meter.add(((t += 100), 10)); // 100 ex/s
    expect(r).toBeCloseTo(100, 5);
    for (let i = 0; i < 200; i++) r = meter.add(((t += 100), 20)); // 200 ex/s for 20 s
    expect(r).toBeCloseTo(200, 5);
  });

  it("is 0 before any time has passed", () => {
    const meter = new RateMeter({ now: () => 5 });
    expect(meter.add(10)).toBe(0);
  });
});
