import { noGrad } from "@heed/autograd";
import { argmax, Generator, getBackend, logSoftmax, pooledBytes, setBackend, slice, softmax, tensor, Tensor } from "@heed/tensor-core";
import { afterAll, describe, expect, it } from "vitest";
import { Seq2SeqDecoding, type Seq2SeqDecoderModel } from "./seq2seq-decoding.js";
import { decodeTokens, generate as generateSeq2Seq } from "./seq2seq-generate.js";
import { Seq2SeqTransformer } from "./seq2seq.js";

const BOS = 1, EOS = 2, V = 9;
const ids = (rows: number[][]): Tensor => tensor(rows, undefined, "int32");
const src = ids([[3, 4, 5, 6], [2, 5, 0, 0], [6, 6, 3, 0]]);
const pad = tensor([[false, false, false, false], [false, false, true, true], [false, false, false, true]]);

function tinyModel(seed: number, normFirst = false, dtype: "float32" | "float64" = "float32"): Seq2SeqTransformer {
  const model = new Seq2SeqTransformer({ srcVocab: 7, tgtVocab: V, dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 16, maxLen: 16, normFirst, rng: new Generator(seed), dtype });
  // a smaller eos logit: random rows then run for a few steps before stopping
  model.generator.bias!.data[EOS] = -1;
  return model.eval();
}

/** Greedy search written the plain way: the full forward pass on the whole prefix at every step. */
function referenceGreedy(model: Seq2SeqTransformer, row: number, maxSteps: number): number[] {
  const S = src.shape[1]!;
  const s = slice(src, [row, 0], [row + 1, S]);
  const p = slice(pad, [row, 0], [row + 1, S]);
  const out: number[] = [];
  for (let t = 0; t < maxSteps; t++) {
    const prefix = ids([[BOS, ...out]]);
    const logits = model.forward(s, prefix, { srcKeyPaddingMask: p });
    const next = argmax(slice(logits, [0, t, 0], [1, t + 1, V]), -1).data[0]!;
    if (next === EOS) break;
    out.push(next);
  }
  return out;
}

/** Beam search (length-normalised, bos counted) written the plain way, on full forward passes. */
function referenceBeam(model: Seq2SeqTransformer, row: number, maxSteps: number, width: number): number[] {
  const S = src.shape[1]!;
  const s = slice(src, [row, 0], [row + 1, S]);
  const p = slice(pad, [row, 0], [row + 1, S]);
  type H = { ids: number[]; score: number; done: boolean };
  let beams: H[] = [{ ids: [BOS], score: 0, done: false }];
  for (let t = 0; t < maxSteps && beams.some((h) => !h.done); t++) {
    const next: H[] = beams.filter((h) => h.done);
    for (const h of beams.filter((b) => !b.done)) {
      const probs = softmax(slice(model.forward(s, ids([h.ids]), { srcKeyPaddingMask: p }), [0, t, 0], [1, t + 1, V]), -1).data;
      probs.forEach((q, v) => next.push({ ids: [...h.ids, v], score: h.score + Math.log(q), done: v === EOS }));
    }
    beams = next.sort((a, b) => b.score / b.ids.length - a.score / a.ids.length).slice(0, width);
  }
  const best = beams[0]!.ids.slice(1);
  return best.at(-1) === EOS ? best.slice(0, -1) : best;
}

describe("Seq2SeqTransformer.generate", () => {
  for (const normFirst of [false, true]) {
    it(`greedy equals step-by-step argmax over full forward passes (normFirst=${normFirst})`, () => {
      const model = tinyModel(11, normFirst);
      const got = noGrad(() => model.generate(src, { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 10 }));
      const want = [0, 1, 2].map((r) => noGrad(() => referenceGreedy(model, r, 10)));
      expect(got).toEqual(want);
      expect(got.some((r) => r.length > 0)).toBe(true);
      expect(noGrad(() => model.generate(src, { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 10, useCache: false }))).toEqual(want);
    });
  }

  it("beam search equals a plain beam search; width 1 equals greedy; cached and uncached agree", () => {
    const model = tinyModel(12);
    const options = { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 6 };
    const beam3 = noGrad(() => model.generate(src, { ...options, numBeams: 3 }));
    expect(beam3).toEqual([0, 1, 2].map((r) => noGrad(() => referenceBeam(model, r, 6, 3))));
    expect(noGrad(() => model.generate(src, { ...options, numBeams: 3, useCache: false }))).toEqual(beam3);
    expect(noGrad(() => model.generate(src, { ...options, numBeams: 1 }))).toEqual(noGrad(() => model.generate(src, options)));
  });

  it("rejects bad options with one clear error", () => {
    const model = tinyModel(1);
    const ok = { bosId: BOS, eosId: EOS, maxSteps: 5 };
    expect(() => model.generate(src, { ...ok, bosId: 9 })).toThrow(/Seq2SeqTransformer.generate: bosId must be an id in \[0, 9\) \(tgtVocab\), got 9/);
    expect(() => model.generate(src, { ...ok, maxSteps: 0 })).toThrow(/maxSteps must be a positive integer, got 0/);
    expect(() => model.generate(src, { ...ok, numBeams: 1.5 })).toThrow(/numBeams must be a positive integer, got 1.5/);
    // maxLen 16: every step's position must fit the table, whether or not a row stops early
    expect(() => model.generate(src, { ...ok, maxSteps: 17 })).toThrow(/Seq2SeqTransformer.generate: maxSteps must be at most maxLen \(16, the positional table's length\), got 17/);
    expect(noGrad(() => model.generate(src, { ...ok, maxSteps: 16 }))).toHaveLength(3);
    expect(() => model.generate(src, { ...ok, srcKeyPaddingMask: tensor([[false]]) })).toThrow(/srcKeyPaddingMask must be \[B, S\] = \[3,4\], got \[1,1\]/);
    expect(() => model.generate(tensor([1, 2], undefined, "int32"), ok)).toThrow(/src must be int32 token ids \[B, S\], got int32 \[2\]/);
  });
});

describe("Seq2SeqDecoding: the key/value cache gives the same logits as re-decoding the prefix", () => {
  for (const dtype of ["float32", "float64"] as const) {
    it(`${dtype}, with rows reordered and dropped on the way`, () => {
      const model = tinyModel(13, false, dtype);
      noGrad(() => {
        const cached = new Seq2SeqDecoding(model, src, { srcKeyPaddingMask: pad });
        const plain = new Seq2SeqDecoding(model, src, { srcKeyPaddingMask: pad, useCache: false });
        let tokens = Int32Array.from([BOS, BOS, BOS]);
        for (let step = 0; step < 6; step++) {
          const a = cached.step(tokens);
          const b = plain.step(tokens);
          expect(a.shape).toEqual([cached.rows, V]);
          expect(a.data).toBeAllclose(b.data, { rtol: dtype === "float64" ? 1e-10 : 1e-4, atol: dtype === "float64" ? 1e-12 : 1e-5 });
          tokens = Int32Array.from(argmax(a, -1).data);
          if (step === 2) {
            const rows = Int32Array.from([2, 0, 0]); // reorder and repeat, as beam search does
            cached.selectRows(rows);
            plain.selectRows(rows);
            tokens = Int32Array.from(rows, (r) => tokens[r]!);
          }
        }
        expect(cached.length).toBe(6);
        expect(() => cached.step(new Int32Array(2))).toThrow(/Seq2SeqDecoding.step: expected 3 ids \(one per row\), got 2/);
        expect(() => cached.selectRows(Int32Array.from([3]))).toThrow(/Seq2SeqDecoding.selectRows: row 3 is outside \[0, 3\)/);
      });
    });
  }
});

describe("Seq2SeqDecoding on the wasm backend (in-place self-attention cache under noGrad)", () => {
  const initial = getBackend();
  afterAll(() => void setBackend(initial));

  it("the same logits, bit for bit, as the concatenating cache; greedy equals re-decoding the prefix", () => {
    expect(setBackend("wasm")).toBe(true);
    const model = tinyModel(17);
    const inPlace = noGrad(() => new Seq2SeqDecoding(model, src, { srcKeyPaddingMask: pad }));
    const concatenating = new Seq2SeqDecoding(model, src, { srcKeyPaddingMask: pad }); // gradients recorded: the plain cache
    let tokens = Int32Array.from([BOS, BOS, BOS]);
    const held: [Tensor, Float32Array][] = [];
    for (let step = 0; step < 12; step++) {
      const a = noGrad(() => inPlace.step(tokens));
      const b = concatenating.step(tokens);
      expect(a.data, `step ${step}`).toEqual(b.data);
      held.push([a, Float32Array.from(a.data as Float32Array)]);
      tokens = Int32Array.from(argmax(a, -1).data);
      if (step === 3) {
        const rows = Int32Array.from([2, 0]); // drop a row and reorder, as greedy and beam search do
        noGrad(() => inPlace.selectRows(rows));
        concatenating.selectRows(rows);
        tokens = Int32Array.from(rows, (r) => tokens[r]!);
      }
    }
    noGrad(() => inPlace.dispose());
    // logits are never handed back: every step's still reads as it did
    for (const [logits, copy] of held) expect(logits.data).toEqual(copy);
    const options = { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 14 };
    expect(noGrad(() => model.generate(src, options))).toEqual(noGrad(() => model.generate(src, { ...options, useCache: false })));
  });
});

describe("Seq2SeqDecoding storage under noGrad", () => {
  it("hands each step's intermediate results back to the storage pool, and the logits of every step stay readable", () => {
    const model = new Seq2SeqTransformer({ srcVocab: 7, tgtVocab: 300, dModel: 64, nhead: 4, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 128, maxLen: 16, rng: new Generator(3) }).eval();
    const rows = Array.from({ length: 8 }, (_, b) => [3 + (b % 4), 4, 5, 6]);
    noGrad(() => {
      const before = pooledBytes();
      const run = new Seq2SeqDecoding(model, ids(rows));
      const held: [Tensor, Float32Array][] = [];
      let tokens = new Int32Array(8).fill(BOS);
      for (let step = 0; step < 4; step++) {
        const logits = run.step(tokens);
        held.push([logits, Float32Array.from(logits.data as Float32Array)]);
        tokens = Int32Array.from(argmax(logits, -1).data);
      }
      // [8, ·, 64] results (≥ 256 floats) are pooled: the encoder's and each step's wait there for the next
      expect(pooledBytes()).toBeGreaterThan(before);
      run.dispose();
      for (const [logits, copy] of held) expect(logits.data).toEqual(copy);
    });
  });
});

describe("generateSeq2Seq (any Seq2SeqDecoderModel)", () => {
  it("decodes a model whose decode returns log-probabilities as the model itself does (greedy and beam)", () => {
    const model = tinyModel(14);
    const logProbs: Seq2SeqDecoderModel = {
      encode: (s, p) => model.encode(s, p),
      decode: (t, m, o) => logSoftmax(model.decode(t, m, o), -1),
      decoder: model.decoder,
    };
    const options = { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 8 };
    for (const numBeams of [1, 3]) {
      const want = noGrad(() => model.generate(src, { ...options, numBeams }));
      expect(noGrad(() => generateSeq2Seq(logProbs, V, src, { ...options, numBeams }))).toEqual(want);
    }
    expect(() => generateSeq2Seq(logProbs, V, src, { ...options, eosId: V })).toThrow(/eosId must be an id in \[0, 9\)/);
  });
});

describe("decodeTokens (the step loop under greedy search and samplers)", () => {
  it("asks the chooser once per step with the decoded rows and stops each row at eos", () => {
    const model = tinyModel(11);
    // row 0 stops at once, row 1 after two tokens, row 2 runs to maxSteps
    const plan = [[EOS], [3, 4, EOS], [5, 5, 5, 5]];
    const seen: number[][] = [];
    let step = 0;
    const got = noGrad(() =>
      decodeTokens(model, src, { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 4 }, (scores, rows) => {
        expect(scores.shape).toEqual([rows.length, V]);
        seen.push([...rows]);
        const t = step++;
        return Array.from(rows, (row) => (row < 0 ? -7 : plan[row]![t]!));
      }),
    );
    expect(got).toEqual([[], [3, 4], [5, 5, 5, 5]]);
    // a finished row leaves the batch once a quarter of it has finished: here at once (1 of 3, then 1 of 2)
    expect(seen).toEqual([[0, 1, 2], [1, 2], [1, 2], [2]]);
  });

  it("with an argmax chooser it is greedy search", () => {
    const model = tinyModel(12);
    const opts = { srcKeyPaddingMask: pad, bosId: BOS, eosId: EOS, maxSteps: 8 };
    expect(noGrad(() => decodeTokens(model, src, opts, (scores) => argmax(scores, -1).data))).toEqual(noGrad(() => [0, 1, 2].map((r) => referenceGreedy(model, r, 8))));
  });
});
