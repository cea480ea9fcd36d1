/** TensorFlow.js peer: tfjs-core with the cpu (plain JS) and wasm (SIMD) backends. */
import { createRequire } from "node:module";
import path from "node:path";
import type { Tf } from "../contexts.js";
import type { Engine, Prepared } from "../types.js";

export type { Tf, TfCtx } from "../contexts.js";

let loading: Promise<{ tf: Tf; wasmInfo: string }> | null = null;

/** Loads tfjs-core and both backends once; the wasm files are read from the installed package. */
function loadTf(): Promise<{ tf: Tf; wasmInfo: string }> {
  loading ??= (async () => {
    const tf = await import("@tensorflow/tfjs-core");
    // tfjs-core alone has no gradients; the @tensorflow/tfjs bundle registers them this way.
    await import("@tensorflow/tfjs-core/dist/register_all_gradients");
    await import("@tensorflow/tfjs-backend-cpu");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + path.sep);
    tf.env().set("IS_TEST", false);
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    const wasmInfo = `${simd ? "SIMD" : "no SIMD"}, ${threads ? "threads" : "1 thread: tfjs turns wasm threads off in Node, tfjs issue #3830"}`;
    return { tf, wasmInfo };
  })();
  return loading;
}

function tfEngine(backend: "cpu" | "wasm"): Engine<"tfjs"> {
  const engine: Engine<"tfjs"> = {
    id: `tfjs-${backend}`,
    library: "tfjs",
    label: backend === "cpu" ? "tfjs-core 4.22 + tfjs-backend-cpu (plain JS)" : "tfjs-core 4.22 + tfjs-backend-wasm",
    threads: 1,
    async load() {
      const { tf, wasmInfo } = await loadTf();
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
      await tf.ready();
      if (backend === "wasm") engine.label += ` (${wasmInfo})`;
      return { tf };
    },
    async activate({ tf }) {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
    },
  };
  return engine;
}

export const tfjsEngines = (): Engine<"tfjs">[] => [tfEngine("cpu"), tfEngine("wasm")];

type TfTensor = ReturnType<Tf["tensor"]>;

/** Uploads float32 data as a tfjs tensor (kept across iterations; created outside the timed part). */
export function tfInput(tf: Tf, data: Float32Array, shape: readonly number[]): TfTensor {
  return tf.tensor(data, [...shape], "float32");
}

/** Runs `compute` in a tidy scope, reads every output back and frees them. */
export function tfPrepared(tf: Tf, compute: () => TfTensor | TfTensor[]): Prepared {
  const once = (): Float32Array[] => {
    const outs = tf.tidy(() => {
      const r = compute();
      return Array.isArray(r) ? r : [r];
    });
    const data = outs.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(outs);
    return data;
  };
  return {
    run: () => void once(),
    check: () => Promise.resolve(once()),
  };
}
