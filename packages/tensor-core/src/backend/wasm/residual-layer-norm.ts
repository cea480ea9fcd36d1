/**
 * The fused residual + dropout + layer norm kernels (src/fused/residual-layer-norm.ts contract)
 * on WebAssembly SIMD: the `dropout`, add and layer-norm exports run one after another on the
 * runtime's memory, so the operands are copied in once and only the results are copied out
 * (the composition copies each intermediate out and back in). Same exports, same bits as the
 * three separate wasm kernels. float64 (and p within 2⁻³² of 1) use the reference.
 */
import type { FloatArray } from "../../fused/index.js";
import { dropoutKey } from "../../fused/dropout-hash.js";
import {
  residualLayerNormBackwardReference, residualLayerNormForwardReference, type ResidualLayerNormBackwardKernel, type ResidualLayerNormForwardKernel,
} from "../../fused/residual-layer-norm.js";
import { EW_ADD } from "./abi.js";
import { layerNormBackwardInMemory } from "./layer-norm.js";
import { getRuntime } from "./state.js";

const f32 = (a: FloatArray | null): a is Float32Array => a instanceof Float32Array;
const threshold = (p: number): number => Math.ceil(p * 4294967296);

/** Drop out n floats at byte address `at` in place with the `dropout` kernel's mask and float32 scale (p < 1). */
function dropInPlace(at: number, n: number, p: number, seed: number): void {
  if (p > 0) getRuntime().exports.dropoutF32(at, at, n, dropoutKey(seed, 0), threshold(p), Math.fround(1 / (1 - p)));
}

export const residualLayerNormForward: ResidualLayerNormForwardKernel = (args) => {
  const { x, sublayer, D, weight, bias, eps, p, seed } = args;
  const ok = f32(x) && f32(sublayer) && (weight === null || f32(weight)) && (bias === null || f32(bias));
  if (!ok || x.length === 0 || D === 0 || !(p < 1) || threshold(p) > 0xffffffff) return residualLayerNormForwardReference(args);
  const n = x.length;
  const R = n / D;
  const rt = getRuntime();
  const [px, ps, pw, pb, pm, pr] = rt.layout([4 * n, 4 * n, weight ? 4 * D : 0, bias ? 4 * D : 0, 4 * R, 4 * R]) as [number, number, number, number, number, number];
  const mem = rt.f32;
  mem.set(x, px >> 2);
  mem.set(sublayer, ps >> 2);
  if (weight) mem.set(weight, pw >> 2);
  if (bias) mem.set(bias, pb >> 2);
  dropInPlace(ps, n, p, seed);
  rt.exports.binaryF32(EW_ADD, 0, px, ps, px, n, n); // h = x + dropout(s), in x's place
  rt.exports.layerNormForwardF32(px, ps, pm, pr, R, D, weight ? pw : 0, bias ? pb : 0, eps);
  return { out: rt.read(ps, n) as typeof x, sum: rt.read(px, n) as typeof x, mean: rt.read(pm, R), rstd: rt.read(pr, R) };
};

export const residualLayerNormBackward: ResidualLayerNormBackwardKernel = (args) => {
  const { sum, D, weight, mean, rstd, gradOut, p, seed } = args;
  const ok = f32(sum) && f32(gradOut) && f32(mean) && f32(rstd) && (weight === null || f32(weight));
  if (!ok || sum.length === 0 || D === 0 || !(p < 1) || threshold(p) > 0xffffffff) return residualLayerNormBackwardReference(args);
  const n = sum.length;
  const rt = getRuntime();
  const { dx: pg, dweight: pdw, dbias: pdb } = layerNormBackwardInMemory(sum, gradOut, mean, rstd, weight, D);
  const dx = rt.read(pg, n) as typeof sum;
  if (p === 0) return { dx, dsublayer: dx, dweight: weight ? (rt.read(pdw, D) as typeof sum) : null, dbias: rt.read(pdb, D) as typeof sum };
  dropInPlace(pg, n, p, seed);
  return { dx, dsublayer: rt.read(pg, n) as typeof sum, dweight: weight ? (rt.read(pdw, D) as typeof sum) : null, dbias: rt.read(pdb, D) as typeof sum };
};
