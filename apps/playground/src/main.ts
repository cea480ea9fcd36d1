import "@heed/autograd";
import { harness } from "./harness.js";
import { stepByStep } from "./step-by-step.js";
import { trainPanel } from "./train-panel.js";

const app = document.getElementById("app")!;
const info = harness.info();
document.getElementById("env")!.textContent = `crossOriginIsolated: ${info.crossOriginIsolated} · wasm: ${JSON.stringify(info.wasm)}`;
stepByStep(app);
const train = trainPanel(app);
Object.assign(globalThis, { heedHarness: { ...harness, train } });
document.body.dataset.ready = "1";
