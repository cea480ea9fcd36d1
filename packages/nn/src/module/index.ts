export { Parameter } from "./parameter.js";
export { Module, type TensorModule } from "./module.js";
export { ModuleList, Sequential } from "./containers.js";
export type { StateDictInput, LoadStateDictOptions, LoadStateDictResult } from "./state-dict.js";
export { formatCount } from "./summary.js";
