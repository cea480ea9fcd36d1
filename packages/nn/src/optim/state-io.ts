import { describeValue, Tensor } from "@heed/tensor-core";
import { entriesOf } from "../safetensors/serialize.js";
import { Optimizer, type OptimizerStateDict, type ParamState } from "./optimizer.js";

/** The metadata key that holds the JSON part of a packed optimizer state. */
export const OPTIMIZER_METADATA_KEY = "heed.optimizer";

/**
 * Split an optimizer state dict into tensors (named `state.<param>.<buffer>`, ready for
 * `serializeSafetensors`) and a JSON string with everything else (step counts and
 * hyperparameters), stored under `metadata["heed.optimizer"]`. Numbers survive JSON exactly,
 * so `unpackOptimizerState` gives back a state that continues bit for bit.
 *
 * @example
 * const { tensors, metadata } = packOptimizerState(opt.stateDict());
 * await saveSafetensors("optimizer.safetensors", tensors, metadata);
 * // later
 * const file = await loadSafetensors("optimizer.safetensors");
 * opt.loadStateDict(unpackOptimizerState(file.tensors, file.metadata));
 */
export function packOptimizerState(dict: OptimizerStateDict): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  if (dict instanceof Optimizer || typeof dict !== "object" || dict === null || typeof dict.state !== "object" || dict.state === null || !Array.isArray(dict.paramGroups)) {
    const hint = dict instanceof Optimizer ? " — did you mean optimizer.stateDict()?" : "";
    throw new Error(`packOptimizerState: expected an optimizer's stateDict() ({ state, paramGroups }), got ${describeValue(dict)}${hint}`);
  }
  const tensors = new Map<string, Tensor>();
  const scalars: Record<string, Record<string, number>> = {};
  for (const [index, s] of Object.entries(dict.state)) {
    for (const [k, v] of Object.entries(s)) {
      if (v instanceof Tensor) tensors.set(`state.${index}.${k}`, v);
      else (scalars[index] ??= {})[k] = v;
    }
  }
  const json = JSON.stringify({ paramGroups: dict.paramGroups, scalars, tensorStates: Object.keys(dict.state) });
  return { tensors, metadata: { [OPTIMIZER_METADATA_KEY]: json } };
}

/** Inverse of `packOptimizerState`. */
export function unpackOptimizerState(tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>, metadata: Readonly<Record<string, string>>): OptimizerStateDict {
  const json = metadata[OPTIMIZER_METADATA_KEY];
  if (json === undefined) throw new Error(`unpackOptimizerState: metadata has no '${OPTIMIZER_METADATA_KEY}' entry (keys: ${Object.keys(metadata).join(", ") || "none"})`);
  const parsed = JSON.parse(json) as { paramGroups: OptimizerStateDict["paramGroups"]; scalars: Record<string, Record<string, number>>; tensorStates: string[] };
  const state: Record<string, ParamState> = {};
  for (const index of parsed.tensorStates) state[index] = { ...(parsed.scalars[index] ?? {}) };
  const entries = entriesOf(tensors);
  for (const [name, t] of entries) {
    const m = /^state\.(\d+)\.(.+)$/.exec(name);
    if (m === null) throw new Error(`unpackOptimizerState: unexpected tensor name '${name}' (expected state.<param>.<buffer>)`);
    (state[m[1]!] ??= {})[m[2]!] = t;
  }
  return { state, paramGroups: parsed.paramGroups };
}
