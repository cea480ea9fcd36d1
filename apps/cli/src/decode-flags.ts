import { parseNumber } from "./config.js";
import { UsageError, suggest } from "./errors.js";
import { checkMbrOptions, DEFAULT_MBR, MBR_BY_DEFAULT, type MbrOptions } from "./tasks/translate-mbr.js";

export const DECODES = ["greedy", "mbr"] as const;

/** The decoding flags of `heed predict` and `heed eval`, as commander gives them. */
export interface DecodeFlagValues {
  beam?: string;
  decode?: string;
  mbrSamples?: string;
  mbrNeighbours?: string;
  mbrEpsilon?: string;
}

/** What to decode with: `beam` (absent: the checkpoint's --beam) and `mbr` (absent: the task's default, null: greedy or beam search). */
export interface DecodeChoice {
  beam?: number;
  mbr?: MbrOptions | null;
}

/** The option descriptions, shared by `predict` and `eval`. */
export const DECODE_OPTIONS: readonly [string, string][] = [
  ["--decode <kind>", `translate: greedy (greedy or beam search, as --beam) or mbr (minimum Bayes risk with chrF over the model's samples, see the README); default ${MBR_BY_DEFAULT ? "mbr unless --beam is given" : "greedy"}`],
  ["--mbr-samples <n>", `--decode mbr: samples drawn per phrase (default ${DEFAULT_MBR.samples})`],
  ["--mbr-neighbours <k>", `--decode mbr: translations of the k nearest training phrases added as candidates (default ${DEFAULT_MBR.neighbours})`],
  ["--mbr-epsilon <x>", `--decode mbr: never draw tokens of probability below x (default ${DEFAULT_MBR.epsilon}: ancestral sampling)`],
];

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
  const sizes = [["--mbr-samples", f.mbrSamples], ["--mbr-neighbours", f.mbrNeighbours], ["--mbr-epsilon", f.mbrEpsilon]] as const;
  if (f.decode !== "mbr") {
    const given = sizes.find(([, v]) => v !== undefined);
    if (given !== undefined && (f.decode !== undefined || !MBR_BY_DEFAULT)) throw new UsageError(`${command}: ${given[0]} applies to --decode mbr, got --decode ${f.decode ?? "greedy (the default)"}`);
    if (given !== undefined) return readDecodeFlags(command, { ...f, decode: "mbr" }); // MBR is the default: the sizes adjust it
    return { ...(beam === undefined ? {} : { beam }), ...(f.decode === "greedy" ? { mbr: null } : {}) };
  }
  if (beam !== undefined) throw new UsageError(`${command}: --beam applies to greedy or beam-search decoding, not to --decode mbr (its candidates already include greedy and beam search)`);
  const mbr = checkMbrOptions({
    samples: f.mbrSamples === undefined ? DEFAULT_MBR.samples : parseNumber("--mbr-samples", f.mbrSamples, { integer: true, min: 1 }),
    neighbours: f.mbrNeighbours === undefined ? DEFAULT_MBR.neighbours : parseNumber("--mbr-neighbours", f.mbrNeighbours, { integer: true, min: 0 }),
    epsilon: f.mbrEpsilon === undefined ? DEFAULT_MBR.epsilon : epsilon(f.mbrEpsilon),
  });
  return { mbr };
}
