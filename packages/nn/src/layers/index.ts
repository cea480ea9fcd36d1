export { Linear, Dense, type LinearOptions } from "./linear.js";
export { LayerNorm, type LayerNormOptions } from "./layer-norm.js";
export { Embedding, type EmbeddingOptions } from "./embedding.js";
export { Dropout } from "./dropout.js";
export { ReLU, GELU, Tanh, Sigmoid, Softmax, LogSoftmax, Identity } from "./activations.js";
