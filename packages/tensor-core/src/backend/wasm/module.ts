/**
 * The compiled kernel modules: four variants of assembly/ (SIMD or relaxed SIMD with FMA,
 * each with private or shared memory), embedded as base64 by `pnpm build:wasm` so that the
 * package loads from src/, dist/ and browsers alike. Relaxed SIMD is preferred wherever the
 * engine validates it (Chrome 114+, Firefox 120+, Node 22+).
 */
import { WASM_RELAXED, WASM_RELAXED_MT, WASM_SIMD, WASM_SIMD_MT } from "./generated/kernels.js";

/** The functions exported by every variant (pointers are byte offsets into linear memory). */
export interface KernelExports {
  heapBase(): number;
  gemmWorkBytes(): number;
  attentionWorkBytes(): number;
  runTasks(ctrl: number, work: number): void;
  binaryF32(op: number, swap: number, a: number, b: number, out: number, n: number, bn: number): void;
  reluF32(x: number, out: number, n: number): void;
  reluGradF32(g: number, x: number, out: number, n: number): void;
  adamStepF32(x: number, g: number, m: number, v: number, n: number, c1: number, b2: number, c2: number, eps: number, stepSize: number, bc2Sqrt: number, decay: number, l2: number, maximize: number): void;
  sumF32(x: number, out: number, outer: number, R: number, inner: number, acc: number): void;
  dropoutF32(x: number, out: number, n: number, key: number, threshold: number, scale: number): void;
  layerNormForwardF32(x: number, out: number, mean: number, rstd: number, rows: number, D: number, w: number, b: number, eps: number): void;
  layerNormBackwardF32(x: number, g: number, mean: number, rstd: number, rows: number, D: number, w: number, dx: number, dw: number, db: number): void;
}

/** Decode base64 without Node's Buffer (atob exists in browsers, workers and Node ≥ 16). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const cache = new Map<string, Uint8Array<ArrayBuffer>>();
function bytesOf(text: string): Uint8Array<ArrayBuffer> {
  let b = cache.get(text);
  if (b === undefined) cache.set(text, (b = decodeBase64(text)));
  return b;
}

/** Whether this engine has WebAssembly with fixed-width SIMD at all. */
export function wasmSupported(): boolean {
  return typeof WebAssembly === "object" && typeof WebAssembly.validate === "function" && WebAssembly.validate(bytesOf(WASM_SIMD));
}

/** Whether this engine validates relaxed SIMD (FMA) modules. */
export function relaxedSupported(): boolean {
  return WebAssembly.validate(bytesOf(WASM_RELAXED));
}

/** The bytes of the best variant for this engine. */
export function variantBytes(shared: boolean): { bytes: Uint8Array<ArrayBuffer>; relaxed: boolean } {
  const relaxed = relaxedSupported();
  const text = shared ? (relaxed ? WASM_RELAXED_MT : WASM_SIMD_MT) : relaxed ? WASM_RELAXED : WASM_SIMD;
  return { bytes: bytesOf(text), relaxed };
}

/** Pages of 64 KiB; the shared variants are built with this maximum (2 GiB: task records hold i32 pointers). */
export const MAX_PAGES = 32768;

/** The memory a variant imports as env.memory. */
export function createMemory(shared: boolean, pages = 32): WebAssembly.Memory {
  return shared
    ? new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true })
    : new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES });
}

/** Imports of every variant: the memory and AssemblyScript's abort hook. */
export function importsFor(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort: () => {
        throw new Error("wasm backend: kernel aborted");
      },
    },
  };
}
