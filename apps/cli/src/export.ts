/**
 * `heed export <checkpoint> [--out DIR]`: the checkpoint's model as ONNX files plus a JSON
 * sidecar (heed-onnx.json) with what `heed predict --engine ort` needs to pre- and
 * post-process exactly as `heed predict` does. g2p and translate export as an encoder graph and a
 * one-step decoder graph with key/value caches (@heed/onnx's exportSeq2Seq); every other task as
 * one graph, traced through the task's `onnx` hook (its named inputs, outputs and forward).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Seq2SeqTransformer } from "@heed/attention";
import { tokenizerFromJSON, type TokenizerJSON } from "@heed/data";
import { exportOnnx, exportSeq2Seq, type AttentionExport } from "@heed/onnx";
import { Tensor } from "@heed/tensor-core";
import type { TrainConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { writeFileAtomic } from "./files.js";
import type { TaskRuntime } from "./task.js";

export const SIDECAR = "heed-onnx.json";
export const HEED_VERSION = "0.0.0";
/** g2p's longest word and translate's longest phrase (tasks/*.ts: MAX_LEN; positional tables MAX_LEN + 2). */
export const G2P_MAX_LEN = 40;
export const TRANSLATE_MAX_LEN = 64;

export interface Sidecar {
  format: 1;
  task: TrainConfig["task"];
  heedVersion: string;
  opset: number;
  /** the checkpoint's vocab.json (tokenizers, scalings) */
  vocab: unknown;
  /** the checkpoint's config.json: `--engine ort` rebuilds the task's pre- and post-processing from it and `vocab` */
  config: TrainConfig;
  dModel: number;
  numLayers: number;
  /** the checkpoint's --beam: `heed predict` decodes with beam search when > 1 */
  beam: number;
  /** encoder–decoder tasks (g2p, translate): the target vocabulary's special ids and the longest input */
  specialIds?: { pad: number; bos: number; eos: number };
  maxLen?: number;
  /** translate ensembles: the members, each exported as its own encoder and decoder graphs (absent: one) */
  members?: number;
  /** g2p and translate: `encoder` and `decoder` (ensemble member k ≥ 1: `encoder.k`, `decoder.k`); every other task: `model` */
  graphs: Record<string, { file: string; inputs: readonly string[]; outputs: readonly string[] }>;
}

/** Graph-name suffix of ensemble member k ("" for the first, so one model's files keep their names). */
export const memberSuffix = (k: number): string => (k === 0 ? "" : `.${k}`);

/**
 * The CLI's g2p/translate model as @heed/attention's Seq2SeqTransformer (same state-dict names), for
 * export; of an ensemble (state-dict names `members.k.…`), member k.
 */
function seq2seqModel(rt: TaskRuntime, config: TrainConfig, maxLen: number, members: number, k: number): Seq2SeqTransformer {
  const prefix = members > 1 ? `members.${k}.` : "";
  const dict = new Map([...rt.model.stateDict()].filter(([name]) => name.startsWith(prefix)).map(([name, t]) => [name.slice(prefix.length), t]));
  const vocabOf = (key: string): number => dict.get(key)!.shape[0]!;
  // layer counts from the weights (translate --recipe deep has fewer decoder than encoder layers)
  const layersOf = (stack: string): number => new Set([...dict.keys()].filter((n) => n.startsWith(`${stack}.layers.`)).map((n) => n.split(".")[2])).size;
  const model = new Seq2SeqTransformer({
    srcVocab: vocabOf("src_embed.weight"), tgtVocab: vocabOf("tgt_embed.weight"), dModel: config.dModel, nhead: config.heads,
    numEncoderLayers: layersOf("encoder"), numDecoderLayers: layersOf("decoder"), dimFeedforward: config.ff, dropout: config.dropout, maxLen: maxLen + 2, paddingIdx: 0,
  });
  model.loadStateDict(dict, { strict: true });
  return model.eval();
}

/** Export a restored checkpoint (its runtime, config and vocab.json); returns the sidecar and the files' bytes by name. */
export function exportCheckpoint(rt: TaskRuntime, config: TrainConfig, vocab: unknown, attention: AttentionExport = "composed"): { sidecar: Sidecar; files: Record<string, Uint8Array> } {
  const base = { format: 1 as const, task: config.task, heedVersion: HEED_VERSION, vocab, config, dModel: config.dModel, numLayers: config.layers, beam: config.beam };
  if (config.task !== "g2p" && config.task !== "translate") {
    const hook = rt.onnx;
    if (hook === undefined) throw new UsageError(`export: the '${config.task}' task has no ONNX export`);
    const { bytes, inputNames, outputNames, opset } = exportOnnx(rt.model, hook.example(), {
      dynamicAxes: hook.dynamicAxes, outputNames: hook.outputNames, forward: (x) => hook.forward(x), graphName: `heed.${config.task}`, attention,
    });
    return { sidecar: { ...base, opset, graphs: { model: { file: "model.onnx", inputs: inputNames, outputs: outputNames } } }, files: { "model.onnx": bytes } };
  }
  const maxLen = config.task === "g2p" ? G2P_MAX_LEN : TRANSLATE_MAX_LEN;
  const specialIds = specialIdsOf(vocab, config.task === "g2p" ? "phonemes" : "target");
  const members = (vocab as { members?: number } | null)?.members ?? 1;
  const src = new Tensor(Int32Array.from([3, 4, 5, 6, 7, 3, 4, 5, 0, 0]), [2, 5], "int32");
  const pad = new Tensor(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), [2, 5], "bool");
  const graphs: Sidecar["graphs"] = {};
  const files: Record<string, Uint8Array> = {};
  let opset = 0;
  let numLayers = 0;
  for (let k = 0; k < members; k++) {
    const exported = exportSeq2Seq(seq2seqModel(rt, config, maxLen, members, k), src, pad, undefined, { attention });
    ({ numLayers } = exported);
    opset = exported.decoder.opset;
    for (const part of ["encoder", "decoder"] as const) {
      const file = `${part}${memberSuffix(k)}.onnx`;
      graphs[`${part}${memberSuffix(k)}`] = { file, inputs: exported[part].inputNames, outputs: exported[part].outputNames };
      files[file] = exported[part].bytes;
    }
  }
  const sidecar: Sidecar = { ...base, opset, specialIds, numLayers, maxLen, ...(members > 1 ? { members } : {}), graphs };
  return { sidecar, files };
}

/** The target vocabulary's pad/bos/eos ids, from the checkpoint's vocab.json. */
function specialIdsOf(vocab: unknown, key: string): { pad: number; bos: number; eos: number } {
  const v = tokenizerFromJSON((vocab as Record<string, TokenizerJSON>)[key]!).vocab;
  return { pad: v.padId, bos: v.bosId!, eos: v.eosId! };
}

/**
 * Write the files and then the sidecar (each atomically), into `dir`. An earlier export's sidecar
 * goes first: a re-export cut short (kill -9, a full disk) leaves a directory that is no export,
 * never the old sidecar over some of the new graphs.
 */
export function writeExport(dir: string, sidecar: Sidecar, files: Record<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, SIDECAR), { force: true });
  for (const [name, bytes] of Object.entries(files)) writeFileAtomic(join(dir, name), bytes);
  writeFileAtomic(join(dir, SIDECAR), JSON.stringify(sidecar, null, 2) + "\n");
}
