/**
 * `heed predict --engine ort` for the one-graph tasks (classify, forecast, seed, digits): the
 * task is rebuilt from the sidecar's config and vocabularies (its pre- and post-processing, not
 * its weights), and its `onnx` hook runs predict with the model replaced by an ONNX Runtime session.
 */
import { Generator, Tensor } from "@heed/tensor-core";
import { RuntimeError, UsageError } from "./errors.js";
import type { Sidecar } from "./export.js";
import { sessionOptions, type Ort } from "./export-ort.js";
import type { GraphRun } from "./task.js";
import { TASK_DEFINITIONS } from "./tasks/index.js";

type OrtTensor = InstanceType<Ort["Tensor"]>;

/** A Heed tensor as an ONNX Runtime tensor (same bytes; bool is one byte per element in both). */
export function toOrt(ort: Ort, t: Tensor): OrtTensor {
  if (t.dtype === "float64") throw new RuntimeError(`predict --engine ort: float64 input ${JSON.stringify(t.shape)}; the exported graphs take float32`);
  return new ort.Tensor(t.dtype, t.data as Float32Array | Int32Array | Uint8Array, [...t.shape]);
}

/** An ONNX Runtime output as a Heed tensor. */
export function fromOrt(t: OrtTensor): Tensor {
  const shape = t.dims.map(Number);
  if (t.type === "float32") return new Tensor(t.data as Float32Array, shape, "float32");
  if (t.type === "int32") return new Tensor(t.data as Int32Array, shape, "int32");
  if (t.type === "bool") return new Tensor(t.data as Uint8Array, shape, "bool");
  throw new RuntimeError(`predict --engine ort: the graph returned a ${t.type} tensor; Heed reads float32, int32 and bool`);
}

/** predict for a one-graph export: the task's hook around a session created once. */
export async function ortGraphPredictor(ort: Ort, sidecar: Sidecar, files: Record<string, Uint8Array>, threads: number): Promise<(inputs: readonly string[]) => Promise<string[]>> {
  const graph = sidecar.graphs.model;
  if (graph === undefined) throw new RuntimeError(`predict --engine ort: the '${sidecar.task}' export has no 'model' graph (it has ${Object.keys(sidecar.graphs).join(", ")}); export the checkpoint again`);
  const hook = TASK_DEFINITIONS[sidecar.task].create(sidecar.config, new Generator(sidecar.config.seed), sidecar.vocab).onnx;
  if (hook === undefined) throw new UsageError(`predict --engine ort: the '${sidecar.task}' task has no ONNX Runtime path`);
  const session = await ort.InferenceSession.create(files[graph.file]!, sessionOptions(threads));
  const run: GraphRun = async (feeds) => {
    const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, toOrt(ort, t)])));
    return graph.outputs.map((name) => fromOrt(out[name]!));
  };
  return (inputs) => hook.predict([...inputs], run);
}
