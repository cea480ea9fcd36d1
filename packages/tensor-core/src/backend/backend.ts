/**
 * Backends: a backend is a table of kernels keyed by op name. The `js` backend has the
 * readable TypeScript reference kernel of every op (the living spec); faster backends
 * (WebAssembly SIMD) provide a subset and fall back to the reference for the rest.
 * The choice is explicit: `setBackend("wasm" | "js")`; until then the first op picks the
 * documented default (`DEFAULT_BACKENDS` in registry.ts: "wasm" when it compiles synchronously,
 * else "js").
 */
import type { OpAttrs, OpName } from "../registry.js";
import type { Tensor } from "../tensor.js";
import type { FusedKernels } from "../fused/kernels.js";

/** A kernel computes an op's output from already validated inputs and attributes. */
export type Kernel<P extends OpName> = (inputs: readonly Tensor[], attrs: OpAttrs[P]) => Tensor;

/** Every op must have a reference kernel: a missing one is a type error. */
export type KernelTable = { [P in OpName]: Kernel<P> };

export interface Backend {
  readonly name: string;
  readonly kernels: Partial<KernelTable>;
  /** Optional fused kernels (e.g. memory-efficient attention); missing ones fall back to the TypeScript reference. */
  readonly fused?: Partial<FusedKernels>;
  /** Prepare the backend synchronously if possible (e.g. compile WebAssembly); false if not available. */
  initSync?(): boolean;
  /** Prepare the backend asynchronously (browsers may refuse synchronous compilation). */
  init?(): Promise<boolean>;
}
