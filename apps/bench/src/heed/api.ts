/**
 * Heed's public API as the benchmark uses it, resolved at run time from the packages'
 * exports, so the harness also runs against an older or partial build: a case whose functions
 * are not exported prints "n/a (missing: …)" instead of failing the build or faking numbers.
 */
import type { Tensor } from "@heed/tensor-core";

export type { Tensor };

export interface SdpaOptions {
  isCausal?: boolean;
  implementation?: "composed" | "memoryEfficient";
}

/** The parts of a module (nn.Module) the benchmark touches. */
export interface HeedModule {
  parameters(): Tensor[];
  namedParameters(): [string, Tensor][];
  zeroGrad(): void;
  /** PyTorch's load_state_dict: strict names and shapes, copied in place. */
  loadStateDict(dict: ReadonlyMap<string, Tensor>): unknown;
}

export interface HeedOptimizer {
  step(): void;
  zeroGrad(): void;
}

export interface MhaModule extends HeedModule {
  forward(q: Tensor, k: Tensor, v: Tensor, options?: { needWeights?: boolean }): { output: Tensor; weights: Tensor | null };
}

export interface EncoderLayerModule extends HeedModule {
  forward(x: Tensor): Tensor;
}

/** Every export the cases may use, with the signature the benchmark calls. */
export interface HeedApi {
  matmul(a: Tensor, b: Tensor, options?: { transA?: boolean; transB?: boolean }): Tensor;
  softmax(x: Tensor, axis?: number): Tensor;
  add(a: Tensor, b: Tensor | number): Tensor;
  sub(a: Tensor, b: Tensor | number): Tensor;
  mul(a: Tensor, b: Tensor | number): Tensor;
  sum(x: Tensor, axes?: number | number[], keepDims?: boolean): Tensor;
  mean(x: Tensor, axes?: number | number[], keepDims?: boolean): Tensor;
  square(x: Tensor): Tensor;
  scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options?: SdpaOptions): Tensor;
  MultiHeadAttention: new (options: { embedDim: number; numHeads: number; dropout?: number }) => MhaModule;
  TransformerEncoderLayer: new (options: { dModel: number; nhead: number; dimFeedforward?: number; dropout?: number }) => EncoderLayerModule;
  Adam: new (params: Tensor[], options?: { lr?: number; betas?: [number, number]; eps?: number }) => HeedOptimizer;
}

export type HeedName = keyof HeedApi;

export interface HeedCtx {
  /** Every export of the four packages (first package wins on a clash: core, autograd, nn, attention). */
  exports: ReadonlyMap<string, unknown>;
  /** Packages that failed to load, with the reason. */
  broken: ReadonlyMap<string, string>;
}

/** Thrown by `need` when Heed does not export what a case uses; the report prints "n/a (missing: …)". */
export class MissingApi extends Error {
  constructor(readonly names: readonly string[]) {
    super(`missing: ${names.join(", ")}`);
  }
}

/** The requested exports, or a `MissingApi` naming every one that is absent. */
export function need<K extends HeedName>(ctx: HeedCtx, names: readonly K[]): Pick<HeedApi, K> {
  const missing = names.filter((n) => typeof ctx.exports.get(n) !== "function");
  if (missing.length > 0) {
    const why = [...ctx.broken].map(([p, e]) => `${p}: ${e}`);
    throw new MissingApi(why.length > 0 ? [...missing, `(${why.join("; ")})`] : missing);
  }
  const picked: Partial<Pick<HeedApi, K>> = {};
  // The values were checked to be functions; their exact signatures are the documented API.
  for (const n of names) picked[n] = ctx.exports.get(n) as HeedApi[K];
  return picked as Pick<HeedApi, K>;
}

/** Loads the Heed packages (the autograd import installs the gradient engine). */
export async function loadHeedExports(): Promise<HeedCtx> {
  const exports = new Map<string, unknown>();
  const broken = new Map<string, string>();
  // Specifiers held in a variable: a package without an entry yet must not break the build.
  const packages: string[] = ["@heed/tensor-core", "@heed/autograd", "@heed/nn", "@heed/attention"];
  const loaders = packages.map((name): [string, () => Promise<Record<string, unknown>>] => [name, () => import(name)]);
  for (const [name, load] of loaders) {
    try {
      const mod = await load();
      for (const [k, v] of Object.entries(mod)) if (!exports.has(k)) exports.set(k, v);
    } catch (err) {
      broken.set(name, err instanceof Error ? err.message.split("\n")[0]! : String(err));
    }
  }
  return { exports, broken };
}
