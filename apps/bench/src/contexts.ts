/**
 * What each library's `Engine.load` gives its implementations (`Contexts[L]`). A leaf module:
 * types.ts and the peers both import it, so neither imports the other for these types.
 */
import type { HeedCtx } from "./heed/api.js";

export type Tf = typeof import("@tensorflow/tfjs-core");
export type Ort = typeof import("onnxruntime-node");
export type Jax = typeof import("@jax-js/jax");

export interface TfCtx {
  tf: Tf;
}

export interface OrtCtx {
  ort: Ort;
  threads: number;
}

export interface JaxCtx {
  jax: Jax;
}

/** What `Engine.load` gives each library's implementations. */
export interface Contexts {
  heed: HeedCtx;
  tfjs: TfCtx;
  ort: OrtCtx;
  jax: JaxCtx;
}
