import { parseNumber } from "./config.js";
import { UsageError, suggest } from "./errors.js";
import { checkMbrOptions, DEFAULT_MBR, MBR_BY_DEFAULT, MBR_EVIDENCE, type MbrEvidence, type MbrOptions } from "./tasks/translate-mbr.js";
import { checkKnnOptions, DEFAULT_KNN, type KnnOptions } from "./tasks/translate-knn.js";

/** greedy: greedy or beam search; mbr: minimum Bayes risk; knn: kNN-MT greedy or beam search; knn-mbr: MBR over the kNN-MT model. */
export const DECODES = ["greedy", "mbr", "knn", "knn-mbr"] as const;

/** The decoding flags of `heed predict` and `heed eval`, as commander gives them. */
export interface DecodeFlagValues {
  beam?: string;
  decode?: string;
  mbrSamples?: string;
  mbrNeighbours?: string;
  mbrEpsilon?: string;
  mbrEvidence?: string;
  knnNeighbours?: string;
  knnLambda?: string;
  knnTemperature?: string;
}

/** What to decode with: `beam` (absent: the checkpoint's --beam) and `mbr` (absent: the task's default, null: greedy or beam search). */
export interface DecodeChoice {
  beam?: number;
  mbr?: MbrOptions | null;
  /** kNN-MT (translate): absent or null = the model alone. */
  knn?: KnnOptions | null;
}

/** The option descriptions, shared by `predict` and `eval`. */
export const DECODE_OPTIONS: readonly [string, string][] = [
  ["--decode <kind>", `translate: greedy (greedy or beam search, as --beam) or mbr (minimum Bayes risk with chrF over the model's samples, see the README); default ${MBR_BY_DEFAULT ? "mbr unless --beam is given" : "greedy"}`],
  ["--mbr-samples <n>", `--decode mbr: samples drawn per phrase (default ${DEFAULT_MBR.samples})`],
  ["--mbr-neighbours <k>", `--decode mbr: translations of the k nearest training phrases added as candidates (default ${DEFAULT_MBR.neighbours})`],
  ["--mbr-epsilon <x>", `--decode mbr: never draw tokens of probability below x (default ${DEFAULT_MBR.epsilon}: ancestral sampling)`],
  ["--mbr-evidence <kind>", `--decode mbr: what the expected chrF is over: samples (default), pool (every candidate, weighed by the model's probability) or retrieved (the samples and the neighbours' translations)`],
  ["--knn-neighbours <k>", `--decode knn|knn-mbr: training-split decoder states read per step (default ${DEFAULT_KNN.k})`],
  ["--knn-lambda <x>", `--decode knn|knn-mbr: weight of the neighbours' next-character distribution (default ${DEFAULT_KNN.lambda})`],
  ["--knn-temperature <t>", `--decode knn|knn-mbr: softmax temperature over the neighbours' squared distances (default ${DEFAULT_KNN.temperature})`],
];

function knnOptions(f: DecodeFlagValues): KnnOptions {
  return checkKnnOptions({
    k: f.knnNeighbours === undefined ? DEFAULT_KNN.k : parseNumber("--knn-neighbours", f.knnNeighbours, { integer: true, min: 1 }),
    lambda: f.knnLambda === undefined ? DEFAULT_KNN.lambda : parseNumber("--knn-lambda", f.knnLambda, { min: 0, max: 1 }),
    temperature: f.knnTemperature === undefined ? DEFAULT_KNN.temperature : parseNumber("--knn-temperature", f.knnTemperature, { min: Number.MIN_VALUE }),
  });
}

function epsilon(value: string): number {
  const x = parseNumber("--mbr-epsilon", value, { min: 0, max: 1 });
  if (x === 1) throw new UsageError(`invalid value for --mbr-epsilon: ${value} (expected a number >= 0 and < 1)`);
  return x;
}

/**
 * Check and parse the decoding flags of `command` (one usage error naming the flag): `--mbr-*`
 * only with `--decode mbr`, and `--beam` not with it (MBR's candidates include greedy and beam
 * search of a fixed width).
 */
export function readDecodeFlags(command: string, f: DecodeFlagValues): DecodeChoice {
  const beam = f.beam === undefined ? undefined : parseNumber("--beam", f.beam, { integer: true, min: 1 });
  if (f.decode !== undefined && !(DECODES as readonly string[]).includes(f.decode)) {
    const s = suggest(f.decode, DECODES);
    throw new UsageError(`${command}: invalid value for --decode: '${f.decode}'${s ? ` (did you mean '${s}'?)` : ""}; choose one of ${DECODES.join(", ")}`);
  }
  const knnGiven = ([["--knn-neighbours", f.knnNeighbours], ["--knn-lambda", f.knnLambda], ["--knn-temperature", f.knnTemperature]] as const).find(([, v]) => v !== undefined);
  const knn = f.decode === "knn" || f.decode === "knn-mbr";
  if (knnGiven !== undefined && !knn) throw new UsageError(`${command}: ${knnGiven[0]} applies to --decode knn or knn-mbr, got --decode ${f.decode ?? (MBR_BY_DEFAULT ? "mbr (the default)" : "greedy (the default)")}`);
  const sizes = [["--mbr-samples", f.mbrSamples], ["--mbr-neighbours", f.mbrNeighbours], ["--mbr-epsilon", f.mbrEpsilon], ["--mbr-evidence", f.mbrEvidence]] as const;
  const mbr = f.decode === "mbr" || f.decode === "knn-mbr";
  if (!mbr) {
    const given = sizes.find(([, v]) => v !== undefined);
    if (given !== undefined && (f.decode !== undefined || !MBR_BY_DEFAULT)) throw new UsageError(`${command}: ${given[0]} applies to --decode mbr or knn-mbr, got --decode ${f.decode ?? "greedy (the default)"}`);
    if (given !== undefined) return readDecodeFlags(command, { ...f, decode: "mbr" }); // MBR is the default: the sizes adjust it
    if (f.decode === "knn") return { ...(beam === undefined ? {} : { beam }), mbr: null, knn: knnOptions(f) };
    return { ...(beam === undefined ? {} : { beam }), ...(f.decode === "greedy" ? { mbr: null } : {}) };
  }
  if (beam !== undefined) throw new UsageError(`${command}: --beam applies to greedy or beam-search decoding, not to --decode ${f.decode} (its candidates already include greedy and beam search)`);
  if (f.mbrEvidence !== undefined && !(MBR_EVIDENCE as readonly string[]).includes(f.mbrEvidence)) {
    throw new UsageError(`${command}: invalid value for --mbr-evidence: '${f.mbrEvidence}'; choose one of ${MBR_EVIDENCE.join(", ")}`);
  }
  const options = checkMbrOptions({
    samples: f.mbrSamples === undefined ? DEFAULT_MBR.samples : parseNumber("--mbr-samples", f.mbrSamples, { integer: true, min: 1 }),
    neighbours: f.mbrNeighbours === undefined ? DEFAULT_MBR.neighbours : parseNumber("--mbr-neighbours", f.mbrNeighbours, { integer: true, min: 0 }),
    epsilon: f.mbrEpsilon === undefined ? DEFAULT_MBR.epsilon : epsilon(f.mbrEpsilon),
    ...(f.mbrEvidence === undefined || f.mbrEvidence === "samples" ? {} : { evidence: f.mbrEvidence as MbrEvidence }),
  });
  return knn ? { mbr: options, knn: knnOptions(f) } : { mbr: options };
}
