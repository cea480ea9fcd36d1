// The layer map of Heed: each workspace package may import only the packages listed
// for it (and its own files). Dependencies only point down.
//   apps/cli, apps/bench -> attention -> nn -> autograd -> tensor-core
//   datasets -> data -> tensor-core
//   onnx -> attention, nn, autograd, tensor-core (only apps import it)
export const LAYERS = {
  "tensor-core": [],
  autograd: ["tensor-core"],
  nn: ["tensor-core", "autograd"],
  attention: ["tensor-core", "autograd", "nn"],
  data: ["tensor-core"],
  datasets: ["tensor-core", "data"],
  onnx: ["tensor-core", "autograd", "nn", "attention"],
};
export const ALL = Object.keys(LAYERS);
