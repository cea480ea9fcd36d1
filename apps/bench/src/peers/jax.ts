/** jax-js peer (@jax-js/jax) on its WebAssembly backend (WebGPU/WebGL are browser-only). */
import type { Jax } from "../contexts.js";
import type { Engine, Prepared } from "../types.js";

export type { Jax, JaxCtx } from "../contexts.js";

export function jaxEngines(): Engine<"jax">[] {
  return [
    {
      id: "jax-wasm",
      library: "jax",
      label: "@jax-js/jax 0.1.25, wasm backend, jit",
      threads: 1,
      async load() {
        const jax = await import("@jax-js/jax");
        const ready = await jax.init("wasm");
        if (!ready.includes("wasm")) throw new Error(`jax-js: wasm backend unavailable (initialised: ${ready.join(", ") || "none"})`);
        jax.defaultDevice("wasm");
        return { jax };
      },
      activate: () => Promise.resolve(),
    },
  ];
}

export type JaxArray = ReturnType<Jax["numpy"]["array"]>;

/** A jax array from float32 data (created outside the timed part). */
export function jaxInput(jax: Jax, data: Float32Array, shape: readonly number[]): JaxArray {
  return jax.numpy.array(data).reshape([...shape]);
}

/**
 * Runs a (jitted) function on fixed inputs: jax-js arguments are moved into the call, so
 * every call passes new references (`.ref`); `data()` realises and frees each output.
 */
export function jaxPrepared(f: (...args: JaxArray[]) => JaxArray | JaxArray[], inputs: readonly JaxArray[]): Prepared {
  const once = async (): Promise<Float32Array[]> => {
    // concat spreads a list of outputs and appends a single jax Array (not a JS array).
    const outs = ([] as JaxArray[]).concat(f(...inputs.map((a) => a.ref)));
    const data: Float32Array[] = [];
    // DataArray may include Float16Array, which this TypeScript lib does not know: read it as numbers.
    for (const o of outs) data.push(Float32Array.from((await o.data()) as ArrayLike<number>));
    return data;
  };
  return {
    run: async () => void (await once()),
    check: once,
  };
}
