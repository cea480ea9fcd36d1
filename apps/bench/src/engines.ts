/** Every engine in the order they are reported: Heed first, then the peers. */
import { heedEngines } from "./heed/engine.js";
import { jaxEngines } from "./peers/jax.js";
import { ortEngines } from "./peers/ort.js";
import { tfjsEngines } from "./peers/tfjs.js";
import type { AnyEngine } from "./types.js";

export function allEngines(cores: number): AnyEngine[] {
  return [...heedEngines(cores), ...tfjsEngines(), ...ortEngines(cores), ...jaxEngines()];
}
