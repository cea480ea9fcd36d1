import type { Backend, KernelTable } from "../backend.js";
import { elementwiseKernels } from "./elementwise.js";
import { matmulKernels } from "./matmul.js";
import { movementKernels } from "./movement.js";
import { reduceKernels } from "./reduce.js";

/** The reference kernels: a readable TypeScript kernel for every op (the living spec). */
export const referenceKernels: KernelTable = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...movementKernels,
  ...matmulKernels,
};

/** The reference backend. */
export const jsBackend: Backend = { name: "js", kernels: referenceKernels };
