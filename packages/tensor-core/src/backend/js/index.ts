import type { Backend, KernelTable } from "../backend.js";
import { elementwiseKernels } from "./elementwise.js";
import { matmulKernels } from "./matmul.js";
import { movementKernels } from "./movement.js";
import { reduceKernels } from "./reduce.js";

/** The reference backend: a readable TypeScript kernel for every op. */
const kernels: KernelTable = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...movementKernels,
  ...matmulKernels,
};

export const jsBackend: Backend = { name: "js", kernels };
