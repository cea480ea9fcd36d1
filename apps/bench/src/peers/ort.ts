/** ONNX Runtime peer (onnxruntime-node, CPU execution provider): inference cases only. */
import type { Ort, OrtCtx } from "../contexts.js";
import type { Engine, Prepared } from "../types.js";
import { buildModel, type GraphSpec } from "./onnx-graph.js";

export type { Ort, OrtCtx } from "../contexts.js";

/** Creates a session for a graph built in code, with this engine's intra-op thread count. */
export async function ortSession(ctx: OrtCtx, spec: GraphSpec) {
  return ctx.ort.InferenceSession.create(buildModel(spec), {
    intraOpNumThreads: ctx.threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
}

/** Runs a session on float32 inputs and returns its outputs' data in the order given. */
export async function ortRun(
  session: Awaited<ReturnType<typeof ortSession>>,
  ctx: OrtCtx,
  feeds: Record<string, { data: Float32Array; dims: readonly number[] }>,
  outputs: readonly string[],
): Promise<Float32Array[]> {
  const tensors: Record<string, InstanceType<Ort["Tensor"]>> = {};
  for (const [name, f] of Object.entries(feeds)) tensors[name] = new ctx.ort.Tensor("float32", f.data, f.dims);
  const result = await session.run(tensors);
  return outputs.map((name) => {
    const data = result[name]?.data;
    if (!(data instanceof Float32Array)) throw new Error(`ort: output '${name}' is missing or not float32`);
    return data;
  });
}

function ortEngine(threads: number): Engine<"ort"> {
  return {
    id: threads === 1 ? "ort" : `ort-${threads}t`,
    library: "ort",
    label: `onnxruntime-node 1.30 CPU EP, ${threads} intra-op thread${threads === 1 ? "" : "s"}`,
    threads,
    async load() {
      const ort = await import("onnxruntime-node");
      return { ort, threads };
    },
    activate: () => Promise.resolve(),
  };
}

/** ONNX Runtime single-thread, plus one with every core when there is more than one. */
export function ortEngines(cores: number): Engine<"ort">[] {
  return cores > 1 ? [ortEngine(1), ortEngine(cores)] : [ortEngine(1)];
}

/** A session built once (outside the timed part) and run on fixed inputs. */
export async function ortPrepared(
  ctx: OrtCtx,
  spec: GraphSpec,
  feeds: Record<string, { data: Float32Array; dims: readonly number[] }>,
): Promise<Prepared> {
  const session = await ortSession(ctx, spec);
  const outputs = Object.keys(spec.outputs);
  return {
    run: async () => void (await ortRun(session, ctx, feeds, outputs)),
    check: () => ortRun(session, ctx, feeds, outputs),
  };
}
