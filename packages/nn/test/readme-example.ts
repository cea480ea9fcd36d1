import { Adam, CosineAnnealingLR, Linear, ReLU, Sequential, clipGradNorm, manualSeed, mseLoss,
  packOptimizerState, parseSafetensors, serializeSafetensors } from "@heed/nn";
import { Generator, rand, tensor } from "@heed/tensor-core";

// y = sin(2·x0) + x1² on [−1, 1]²
const x = rand([256, 2], new Generator(1), -1, 1);                        // [N, 2]
const y = tensor(Array.from({ length: 256 }, (_, i) => [Math.sin(2 * x.data[2 * i]!) + x.data[2 * i + 1]! ** 2]));

manualSeed(0);                                                            // seeds every layer's init
const model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 1));
console.log(model.summary());                                             // 129 parameters
const opt = new Adam(model.parameters(), { lr: 0.02 });
const sched = new CosineAnnealingLR(opt, { tMax: 300, etaMin: 0.002 });

for (let step = 0; step < 300; step++) {
  const loss = mseLoss(model.forward(x), y);
  opt.zeroGrad();
  loss.backward();
  clipGradNorm(model.parameters(), 5);
  opt.step();
  sched.step();
  if (step % 100 === 0) console.log(step, loss.item());
}

// checkpoint: weights with PyTorch names ("0.weight", "0.bias", "2.weight", "2.bias") + optimizer state
const weights = serializeSafetensors(model.stateDict(), { format: "pt" });
const { tensors, metadata } = packOptimizerState(opt.stateDict());
const optimizerFile = serializeSafetensors(tensors, metadata);
// in Node: await saveSafetensors("model.safetensors", model.stateDict()) from "@heed/nn/node"

const restored = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 1));
restored.loadStateDict(parseSafetensors(weights).tensors);
// ---- end of the README block (the test compares everything above with README.md) ----
export { model, restored, x, y, weights, optimizerFile };
