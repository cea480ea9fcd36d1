/**
 * Test helper: export a module, then run the ONNX file in onnxruntime-node at several batch
 * sizes and sequence lengths (none of them the example's) and compare with Heed's forward.
 */
import { exportOnnx, type ExportOptions, type ForwardResult, type OnnxExport } from "@heed/onnx";
import { Tensor } from "@heed/tensor-core";
import { noGrad } from "@heed/autograd";
import type { Module } from "@heed/nn";
import * as ort from "onnxruntime-node";
import { expect } from "vitest";

export type Inputs = Record<string, Tensor>;

const ORT_TYPE = { float32: "float32", float64: "float64", int32: "int32", bool: "bool" } as const;

export function toOrt(t: Tensor): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[t.dtype], t.data as never, [...t.shape]);
}

export function outputsOf(r: ForwardResult): Tensor[] {
  return r instanceof Tensor ? [r] : Array.isArray(r) ? r : Object.values(r);
}

export async function session(bytes: Uint8Array, level: "disabled" | "all" = "all"): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { graphOptimizationLevel: level, intraOpNumThreads: 1, interOpNumThreads: 1 });
}

/** ORT's outputs for `inputs`, in the model's output order. */
export async function runOrt(s: ort.InferenceSession, model: OnnxExport, inputs: Inputs): Promise<ort.Tensor[]> {
  const feeds = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, toOrt(t)]));
  const out = await s.run(feeds);
  return model.outputNames.map((n) => out[n]!);
}

export function expectClose(got: ort.Tensor, want: Tensor, label: string, rtol = 1e-4, atol = 1e-5): void {
  expect(got.dims, `${label}: shape`).toEqual([...want.shape]);
  const g = got.data as ArrayLike<number | boolean>;
  for (let i = 0; i < want.size; i++) {
    const [a, b] = [Number(g[i]), Number(want.data[i])];
    // NaN must meet NaN (|NaN − b| > tol is false, so it needs its own test)
    if (Number.isNaN(a) !== Number.isNaN(b) || Math.abs(a - b) > atol + rtol * Math.abs(b)) {
      expect.fail(`${label}: element ${i} is ${a} in ORT but ${b} in Heed (rtol ${rtol}, atol ${atol})`);
    }
  }
}

export interface CheckOptions extends ExportOptions {
  /** [B, L] pairs to compare at (default: 1×3, 1×6, 4×3, 4×6, none equal to the example's) */
  sizes?: readonly (readonly [number, number])[];
}

/**
 * Export `module` at the example made by `make(2, 4)`, then compare ORT with Heed at every
 * size, at graph optimisation levels 0 (disabled) and 99 (all). Returns the export.
 */
export async function checkExport(module: Module, make: (B: number, L: number) => Inputs, options: CheckOptions = {}): Promise<OnnxExport> {
  module.eval();
  const { sizes, ...exportOptions } = options;
  const model = exportOnnx(module, make(2, 4), exportOptions);
  const call = options.forward ?? ((ins: Inputs) => (module as unknown as { forward(...a: Tensor[]): ForwardResult }).forward(...Object.values(ins)));
  for (const level of ["disabled", "all"] as const) {
    const s = await session(model.bytes, level);
    for (const [B, L] of sizes ?? [[1, 3], [1, 6], [4, 3], [4, 6]]) {
      const inputs = make(B, L);
      const want = noGrad(() => outputsOf(call(inputs)));
      const got = await runOrt(s, model, inputs);
      want.forEach((w, i) => expectClose(got[i]!, w, `${model.outputNames[i]} at B=${B}, L=${L}, optimisation ${level}`));
    }
  }
  return model;
}
