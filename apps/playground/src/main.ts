import "@heed/autograd";
import { setBackendAsync, setNumThreads } from "@heed/tensor-core";
import { checkpointPanel } from "./checkpoint-panel.js";
import { harness } from "./harness.js";
import { stepByStep } from "./step-by-step.js";
import { describeBackend, threadsPanel } from "./threads-panel.js";
import { trainPanel } from "./train-panel.js";

// The kernels load asynchronously in a browser: start them (and the worker pool, where the page
// is cross-origin isolated) before the first op.
await setBackendAsync("wasm");
await setNumThreads(Math.min(2, navigator.hardwareConcurrency || 1));

const app = document.getElementById("app")!;
const env = document.getElementById("env")!;
const refresh = (): void => {
  env.textContent = describeBackend();
};
refresh();
const timing = threadsPanel(app, refresh);
stepByStep(app);
const train = trainPanel(app, Math.min(2, navigator.hardwareConcurrency || 1));
const checkpoint = checkpointPanel(app);
Object.assign(globalThis, { heedHarness: { ...harness, train, timing, checkpoint } });
document.body.dataset.ready = "1";
