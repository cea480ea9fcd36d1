// `node --import ./test/no-ort.mjs …`: makes `onnxruntime-node` unresolvable, as on a machine
// where the optional dependency was not installed.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      if (specifier === "onnxruntime-node") {
        const e = new Error("Cannot find package 'onnxruntime-node'");
        e.code = "ERR_MODULE_NOT_FOUND";
        throw e;
      }
      return next(specifier, context);
    }`),
);
