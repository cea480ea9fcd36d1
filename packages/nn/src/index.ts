/**
 * @heed/nn — modules, layers, losses, optimizers and safetensors checkpoints with PyTorch
 * semantics. Importing it installs the autograd engine (it imports @heed/autograd).
 * Shape letters: B batch, L query length, S key length, H heads, E embedding, D head dim.
 */
import "@heed/autograd";

export { manualSeed, getDefaultGenerator, DEFAULT_SEED } from "./random.js";
export * from "./module/index.js";
export * from "./layers/index.js";
export * from "./functional/index.js";
export * from "./losses/index.js";
export * from "./optim/index.js";
export * from "./safetensors/index.js";
export * as init from "./init.js";
export { countParameters } from "./utils.js";
export * from "./init.js";
