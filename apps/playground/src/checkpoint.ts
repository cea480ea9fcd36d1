import { noGrad } from "@heed/autograd";
import { Seq2SeqTransformer } from "@heed/attention";
import { CharTokenizer, WordTokenizer, type TokenizerJSON } from "@heed/data";
import { parseSafetensors } from "@heed/nn";
import { Generator, Tensor } from "@heed/tensor-core";

/** The files of a `heed train` checkpoint directory that the page reads. */
export const CHECKPOINT_FILES = ["config.json", "vocab.json", "model.safetensors"] as const;
/** `heed train g2p` words are at most 40 letters; its positional table holds bos and eos too. */
const G2P_MAX_LEN = 40;

interface G2PConfig {
  task: string;
  dModel: number;
  heads: number;
  layers: number;
  ff: number;
  dropout: number;
  checkpointFormat?: number;
}

/** A prediction: the phonemes and, per decoder layer, each head's cross-attention [T][S] (T = bos + phonemes). */
export interface G2PPrediction {
  phonemes: string[];
  letters: string[];
  cross: number[][][][];
}

function field(config: Record<string, unknown>, key: keyof G2PConfig): number {
  const v = config[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`loadCheckpoint: config.json field '${key}' should be a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * A `heed train g2p` checkpoint (config.json, vocab.json, model.safetensors — the files of
 * `runs/<name>/best/` or `last/`) rebuilt in the page with the packages' public APIs, as
 * `heed predict` rebuilds it: the same Seq2SeqTransformer, tokenizers and greedy decoding.
 */
export class G2PCheckpoint {
  readonly model: Seq2SeqTransformer;
  readonly #src: CharTokenizer;
  readonly #tgt: WordTokenizer;

  constructor(readonly config: G2PConfig, vocab: { graphemes: TokenizerJSON; phonemes: TokenizerJSON }, weights: Uint8Array) {
    this.#src = CharTokenizer.fromJSON(vocab.graphemes);
    this.#tgt = WordTokenizer.fromJSON(vocab.phonemes);
    this.model = new Seq2SeqTransformer({
      srcVocab: this.#src.size, tgtVocab: this.#tgt.size, dModel: config.dModel, nhead: config.heads, numEncoderLayers: config.layers,
      numDecoderLayers: config.layers, dimFeedforward: config.ff, dropout: config.dropout, maxLen: G2P_MAX_LEN + 2, rng: new Generator(0),
    });
    const { tensors } = parseSafetensors(weights);
    this.model.loadStateDict(tensors instanceof Map ? tensors : new Map(Object.entries(tensors)), { strict: true });
    this.model.eval();
  }

  /** Build from the three files' contents (by name); errors name the file and what is wrong. */
  static fromFiles(files: ReadonlyMap<string, Uint8Array>): G2PCheckpoint {
    const missing = CHECKPOINT_FILES.filter((f) => !files.has(f));
    if (missing.length > 0) throw new Error(`loadCheckpoint: missing ${missing.join(", ")} (drop the files of a heed train checkpoint directory: ${CHECKPOINT_FILES.join(", ")}; got ${[...files.keys()].join(", ") || "none"})`);
    const json = (name: string): Record<string, unknown> => {
      try {
        return JSON.parse(new TextDecoder().decode(files.get(name))) as Record<string, unknown>;
      } catch (e) {
        throw new Error(`loadCheckpoint: ${name} is not valid JSON (${(e as Error).message})`, { cause: e });
      }
    };
    const config = json("config.json");
    if (config.task !== "g2p") throw new Error(`loadCheckpoint: the page runs g2p checkpoints (heed train g2p), this one is task '${String(config.task)}'`);
    const c: G2PConfig = { task: "g2p", dModel: field(config, "dModel"), heads: field(config, "heads"), layers: field(config, "layers"), ff: field(config, "ff"), dropout: Number(config.dropout ?? 0) };
    const vocab = json("vocab.json") as { graphemes?: TokenizerJSON; phonemes?: TokenizerJSON };
    if (vocab.graphemes === undefined || vocab.phonemes === undefined) throw new Error("loadCheckpoint: vocab.json should hold 'graphemes' and 'phonemes' tokenizers");
    return new G2PCheckpoint(c, { graphemes: vocab.graphemes, phonemes: vocab.phonemes }, files.get("model.safetensors")!);
  }

  /** Greedy pronunciation of `word` and the cross-attention maps that produced it. */
  predict(word: string): G2PPrediction {
    const w = word.trim().toLowerCase();
    if (w === "" || w.length > G2P_MAX_LEN) throw new Error(`predict: expected a word of 1 to ${G2P_MAX_LEN} letters, got '${word}'`);
    const unknown = [...new Set([...w].filter((ch) => !this.#src.vocab.tokens.includes(ch)))];
    if (unknown.length > 0) throw new Error(`predict: '${word}' has characters the model does not know: ${unknown.join(" ")}`);
    const v = this.#tgt.vocab;
    return noGrad(() => {
      const ids = this.#src.encode(w);
      const src = new Tensor(Int32Array.from(ids), [1, ids.length], "int32");
      const out = this.model.generate(src, { bosId: v.bosId!, eosId: v.eosId!, maxSteps: Math.min(G2P_MAX_LEN, ids.length + 8) })[0]!;
      const phonemes = v.decode(out, { skipSpecial: true });
      const tgtIn = [v.bosId!, ...v.encode(phonemes)];
      const maps = this.model.attentionMaps(src, new Tensor(Int32Array.from(tgtIn), [1, tgtIn.length], "int32"));
      const cross = maps.cross.map((m) => {
        const [, H, T, S] = m.shape as [number, number, number, number];
        return Array.from({ length: H }, (_, h) => Array.from({ length: T }, (_, t) => Array.from(m.data.subarray((h * T + t) * S, (h * T + t + 1) * S), Number)));
      });
      return { phonemes, letters: [...w], cross };
    });
  }
}
