import { defineConfig } from "tsup";

// The benchmark is a Node program: peers (tfjs, onnxruntime-node with its native binding,
// jax-js) and Heed's packages stay external so they load from node_modules as users load them.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  dts: false,
  external: [/^@heed\//, /^@tensorflow\/[^/]+$/, "onnxruntime-node", "onnx-proto", /^@jax-js\//],
  // tfjs-core registers its gradients from ESM files with extensionless imports, which Node
  // cannot load: bundle that one entry (the gradient registry is global, so it reaches the core).
  noExternal: [/register_all_gradients/],
});
