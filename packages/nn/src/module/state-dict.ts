import { checkOptions, expectBoolean, formatShape, shapesEqual, type Tensor } from "@heed/tensor-core";
import { entriesOf } from "../safetensors/serialize.js";

/** A state dict as produced by `Module.stateDict()` (a Map) or a plain object of tensors. */
export type StateDictInput = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true). Shape mismatches are errors either way. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Check every key and shape of `dict` against `targets`, then copy the values in place. */
export function loadStateDictInto(owner: string, targets: ReadonlyMap<string, Tensor>, dict: StateDictInput, options: LoadStateDictOptions): LoadStateDictResult {
  const { strict = true } = checkOptions(`${owner}.loadStateDict`, options, { strict: true });
  expectBoolean(`${owner}.loadStateDict`, "strict", strict);
  const source = new Map(entriesOf(dict, `${owner}.loadStateDict`));
  const missingKeys = [...targets.keys()].filter((k) => !source.has(k));
  const unexpectedKeys = [...source.keys()].filter((k) => !targets.has(k));
  const mismatches: string[] = [];
  for (const [key, target] of targets) {
    const value = source.get(key);
    if (value === undefined) continue;
    if (!shapesEqual(value.shape, target.shape)) {
      mismatches.push(`  ${key}: checkpoint shape ${formatShape(value.shape)}, module shape ${formatShape(target.shape)}`);
    } else if ((value.dtype === "bool") !== (target.dtype === "bool") && value.size > 0) {
      mismatches.push(`  ${key}: checkpoint dtype ${value.dtype} cannot be loaded into dtype ${target.dtype}`);
    }
  }
  const problems: string[] = [];
  if (strict && missingKeys.length > 0) problems.push(`missing keys (${missingKeys.length}): ${missingKeys.join(", ")}`);
  if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys (${unexpectedKeys.length}): ${unexpectedKeys.join(", ")}`);
  if (mismatches.length > 0) problems.push(`shape/dtype mismatches (${mismatches.length}):\n${mismatches.join("\n")}`);
  if (problems.length > 0) throw new Error(`loadStateDict: cannot load into ${owner}:\n${problems.join("\n")}`);
  for (const [key, target] of targets) {
    const value = source.get(key);
    if (value !== undefined && value.data !== target.data) target.data.set(value.data);
  }
  return { missingKeys, unexpectedKeys };
}
