/**
 * The kernel modules: four variants of assembly/ (SIMD or relaxed SIMD with FMA, each with
 * private or shared memory), shipped as separate .wasm files (generated/urls.ts) of which an
 * engine loads only the one it uses. Features are detected with tiny probe modules, before
 * anything is fetched.
 */

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

/** The kernel variants, named as their files (kernels-<variant>.wasm). */
export type Variant = "simd" | "relaxed" | "simd-mt" | "relaxed-mt";

export function variantOf(relaxed: boolean, shared: boolean): Variant {
  return `${relaxed ? "relaxed" : "simd"}${shared ? "-mt" : ""}`;
}

export function fileOf(variant: Variant): string {
  return `kernels-${variant}.wasm`;
}

// () -> v128 { f32x4.splat(1) } and, for relaxed SIMD, f32x4.relaxed_madd of three splats.
const SPLAT = [0x43, 0, 0, 0x80, 0x3f, 0xfd, 0x13];
function probe(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0, ...body, 0x0b];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, code.length + 2, 1, code.length, ...code]);
}

/** Whether this engine has WebAssembly with fixed-width SIMD at all. */
export function wasmSupported(): boolean {
  return typeof WebAssembly === "object" && typeof WebAssembly.validate === "function" && WebAssembly.validate(probe(SPLAT));
}

/** Whether this engine validates relaxed SIMD (fused multiply-add). */
export function relaxedSupported(): boolean {
  return wasmSupported() && WebAssembly.validate(probe([...SPLAT, ...SPLAT, ...SPLAT, 0xfd, 0x85, 0x02]));
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
