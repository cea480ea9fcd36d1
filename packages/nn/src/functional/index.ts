export { linear } from "./linear.js";
export { linearReluDropout } from "./linear-relu-dropout.js";
export { layerNorm } from "./layer-norm.js";
export { dropout } from "./dropout.js";
export { embedding } from "./embedding.js";
export { residualLayerNorm } from "./residual-layer-norm.js";
export { embeddingPositions, type EmbeddingPositionsOptions } from "./embedding-positions.js";
