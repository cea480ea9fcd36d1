/**
 * The reference (plain TypeScript) kernels of every elementwise op: unary math, binary
 * arithmetic and comparisons with broadcasting, logical ops, where, gelu, clamp and cast.
 */
import type { KernelTable } from "../backend.js";
import { binaryKernels } from "./elementwise-binary.js";
import { cast, clamp, gelu, unaryKernels } from "./elementwise-unary.js";
import { reluGrad, where } from "./elementwise-where.js";

export const elementwiseKernels: Pick<
  KernelTable,
  | "neg" | "abs" | "sign" | "exp" | "log" | "sqrt" | "rsqrt" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "erf" | "floor"
  | "gelu" | "clamp" | "cast" | "isNaN" | "isFinite" | "logicalNot"
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "equal" | "notEqual" | "less" | "lessEqual" | "greater" | "greaterEqual"
  | "logicalAnd" | "logicalOr" | "logicalXor" | "where" | "reluGrad"
> = { ...unaryKernels, ...binaryKernels, gelu, clamp, cast, where, reluGrad };
