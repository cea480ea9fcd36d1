/**
 * @heed/tensor-core — N-d tensors, broadcasting, reductions, matmul and softmax.
 * Shape letters: B batch, L query length, S key length, H heads, E embedding, D head dim.
 */
export { Tensor, type TensorMethods } from "./tensor-methods.js"; // attaches the chain methods (x.add(y), …)
export type { NestedArray } from "./tensor.js";
export { type DType, type DataArray, type DataArrayOf, DTYPES, isFloat, promote, allocate } from "./dtype.js";
export { type Shape, broadcastShapes, formatShape, sizeOf, stridesOf, shapesEqual, normalizeAxis, normalizeAxes } from "./shape.js";
export { Generator, generator } from "./random.js";
export { type OptionKeys, type DTypeArg, checkOptions, classTypeName, describeValue, dtypeArg, expectBoolean, expectNumber, listArg } from "./options.js";
export {
  type TensorLike, tensor, scalar, asTensor, full, zeros, ones, zerosLike, onesLike, fullLike,
  arange, linspace, eye, randn, rand, randint, randperm, bernoulli,
} from "./create.js";
export { type OpAttrs, type OpName, OP_NAMES } from "./registry.js";
export { StorageScope, openStorageScope, closeStorageScope, openStepStorage, closeStepStorage, isRetired, retireStorage, takeFloat32, pooledBytes } from "./storage-pool.js";
export { type AutogradEngine, type BackwardOptions, setAutogradEngine, getAutogradEngine } from "./engine-hook.js";
export { type Backend, type Kernel, type KernelTable } from "./backend/backend.js";
export { DEFAULT_BACKENDS, registerBackend, setBackend, setBackendAsync, getBackend, listBackends, referenceKernel } from "./backend/registry.js";
export { getNumThreads, setNumThreads, threadPoolStats, wasmInfo, type ThreadPoolStats, type WasmInfo } from "./backend/wasm/index.js";
export { run } from "./dispatch.js";
export * from "./fused/index.js";
export * from "./ops/elementwise/index.js";
export * from "./ops/reduce/index.js";
export * from "./ops/movement/index.js";
export * from "./ops/linalg/index.js";
