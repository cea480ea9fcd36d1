export { scaledDotProductAttention, dotProductAttention, MEMORY_EFFICIENT_THRESHOLD, MEMORY_EFFICIENT_TOTAL_THRESHOLD } from "./sdpa.js";
export { causalMask } from "./masks.js";
export type { AttentionImplementation, AttentionOptions, AttentionResult, MaskedOutBoolMask, TakePartMask } from "./types.js";
