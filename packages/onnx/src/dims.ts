/**
 * Dynamic axes from two traces. The module runs once on the example inputs and once with
 * every dynamic axis grown (tiled); a number that is equal in both runs is a constant, and
 * one that changed is written as c·Πᵢ symᵢ^eᵢ (eᵢ ≤ 3), the only monomial matching both runs.
 * The growth of each axis is chosen so that no two monomials change by the same ratio.
 */

/** A dynamic axis: its name and its size in the first (example) and second trace. */
export interface Sym {
  readonly name: string;
  readonly n1: number;
  readonly n2: number;
}

/** c · Π sym[i]^exps[i]; a constant when every exponent is 0. */
export interface Dim {
  readonly c: number;
  readonly exps: readonly number[];
}

const MAX_EXP = 3;

function exponentVectors(k: number): number[][] {
  let out: number[][] = [[]];
  for (let i = 0; i < k; i++) out = out.flatMap((v) => Array.from({ length: MAX_EXP + 1 }, (_, e) => [...v, e]));
  return out.filter((v) => v.some((e) => e > 0));
}

const ratio = (syms: readonly Sym[], exps: readonly number[]): number => exps.reduce((r, e, i) => r + e * Math.log(syms[i]!.n2 / syms[i]!.n1), 0);

/** Second-trace sizes for axes of sizes `n1` (each ≥ 2): the smallest growths that keep monomials apart. */
export function growSizes(names: readonly string[], n1: readonly number[]): Sym[] {
  const vectors = exponentVectors(names.length);
  const grow = n1.map(() => 1);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const syms = names.map((name, i) => ({ name, n1: n1[i]!, n2: n1[i]! + grow[i]! }));
    const logs = vectors.map((v) => ratio(syms, v)).sort((a, b) => a - b);
    const clash = logs.findIndex((l, i) => i > 0 && l - logs[i - 1]! < 1e-9);
    if (clash < 0) return syms;
    grow[attempt % grow.length]! += 1 + (attempt % 2);
  }
  throw new Error(`exportOnnx: could not choose distinct growths for dynamic axes ${names.join(", ")} of sizes ${n1.join(", ")}`);
}

/** The monomial that is `v1` in the first trace and `v2` in the second, or null. */
export function classify(v1: number, v2: number, syms: readonly Sym[]): Dim | null {
  if (v1 === v2) return { c: v1, exps: syms.map(() => 0) };
  for (const exps of exponentVectors(syms.length)) {
    const m1 = exps.reduce((p, e, i) => p * syms[i]!.n1 ** e, 1);
    const m2 = exps.reduce((p, e, i) => p * syms[i]!.n2 ** e, 1);
    const c = v1 / m1;
    if (Number.isInteger(c) && c > 0 && c * m2 === v2) return { c, exps };
  }
  return null;
}

/** "batch", "2*seq", "batch*seq": a readable dim_param for a graph input or output. */
export function dimParam(d: Dim, syms: readonly Sym[]): number | string {
  const parts = d.exps.flatMap((e, i) => Array.from({ length: e }, () => syms[i]!.name));
  if (parts.length === 0) return d.c;
  return [...(d.c === 1 ? [] : [String(d.c)]), ...parts].join("*");
}
