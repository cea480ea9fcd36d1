/** @heed/nn/node — Node-only helpers: atomic file writes and safetensors files. */
export { writeFileAtomic, writeFileAtomicSync, removeStaleTempFiles, saveSafetensors, loadSafetensors, loadSafetensorsSync } from "./files.js";
