import { Generator, randn, tensor } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { MECHANISMS } from "../config.js";
import { UsageError } from "../errors.js";
import { AttentionMixer, mixerKind, mixerPanels } from "./common-mixer.js";
import { AttentionPooling } from "./common-pooling.js";

const B = 2;
const L = 4;
const E = 8;
// the second sequence has two padding positions at the end
const padding = tensor([0, 0, 0, 0, 0, 0, 1, 1], [B, L], "bool");

describe("AttentionMixer", () => {
  it.each(MECHANISMS)("%s: [B, L, E] → [B, L, E], weights rows sum to 1 and padding keys get 0", (kind) => {
    const m = new AttentionMixer({ kind, dModel: E, heads: 2, dropout: 0, rng: new Generator(0) });
    const x = randn([B, L, E], new Generator(1));
    expect(m.forward(x, padding).shape).toEqual([B, L, E]);
    const w = m.weights(x, padding);
    const H = kind === "dot" || kind === "scaled" ? 1 : 2;
    expect(w.shape).toEqual([B, H, L, L]);
    const d = w.data;
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < L; i++) {
        const row = (b: number) => Array.from(d.subarray(((b * H + h) * L + i) * L, ((b * H + h) * L + i + 1) * L));
        expect(row(0).reduce((a, c) => a + c, 0)).toBeCloseTo(1, 5);
        expect(row(1).slice(2)).toEqual([0, 0]);
      }
    }
  });

  it("padding keys do not change the outputs of the real positions", () => {
    for (const kind of MECHANISMS) {
      const m = new AttentionMixer({ kind, dModel: E, heads: 2, dropout: 0, rng: new Generator(0) });
      const x = randn([1, L, E], new Generator(2));
      const short = m.forward(x, tensor([0, 0, 1, 1], [1, L], "bool")).data.slice(0, 2 * E);
      const x2 = randn([1, 2, E], new Generator(2)); // same first two rows (same generator stream)
      const alone = m.forward(x2).data;
      expect(Array.from(short).map((v) => v.toFixed(5))).toEqual(Array.from(alone).map((v) => v.toFixed(5)));
    }
  });

  it("mixerKind accepts the four mechanisms and refuses the seed-only feature attention", () => {
    expect(mixerKind("classify", "scaled")).toBe("scaled");
    expect(() => mixerKind("classify", "feature")).toThrow(UsageError);
    expect(() => mixerKind("classify", "feature")).toThrow(/classify: --attention feature/);
  });

  it("mixerPanels makes one panel per layer and head from [1, H, L, S] weights", () => {
    const w = tensor([0.25, 0.75, 1, 0, 0.5, 0.5, 0, 1], [1, 2, 2, 2], "float32");
    const panels = mixerPanels([{ title: "layer 1", weights: w }]);
    expect(panels.map((p) => p.title)).toEqual(["layer 1, head 1", "layer 1, head 2"]);
    expect(panels[1]!.weights).toEqual([[0.5, 0.5], [0, 1]]);
  });
});

describe("AttentionPooling", () => {
  it("pools with softmax weights that are 0 on padding and sum to 1", () => {
    const pool = new AttentionPooling(E, new Generator(0));
    const h = randn([B, L, E], new Generator(3));
    const { pooled, weights } = pool.forward(h, padding);
    expect(pooled.shape).toEqual([B, E]);
    const w = Array.from(weights.data);
    expect(w.slice(6)).toEqual([0, 0]);
    expect(w.slice(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // pooled[1] = Σ_l w[1, l] · h[1, l], checked in float64
    for (let e = 0; e < E; e++) {
      let ref = 0;
      for (let l = 0; l < L; l++) ref += w[L + l]! * h.data[(L + l) * E + e]!;
      expect(pooled.data[E + e]).toBeCloseTo(ref, 5);
    }
  });
});
