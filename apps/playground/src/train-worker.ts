/**
 * The training loop of "Train in the page", in a dedicated Worker so the page stays responsive:
 * its own wasm backend (with its own kernel worker pool where the page is cross-origin isolated),
 * steps in slices of ~50 ms between messages, and predictions on request.
 */
import "@heed/autograd";
import { getNumThreads, setBackendAsync, setNumThreads } from "@heed/tensor-core";
import { ReverseTrainer } from "./reverse-task.js";

/** Messages to the worker. */
export type TrainRequest = { type: "start"; threads: number } | { type: "run" } | { type: "stop" } | { type: "predict"; word: string };
/** Messages from the worker. */
export type TrainReply =
  | { type: "ready"; threads: number }
  | { type: "progress"; steps: number; losses: number[]; examples: number }
  | { type: "prediction"; word: string; output: string; heads: { shape: number[]; data: Float32Array } }
  | { type: "error"; message: string };

const post = (m: TrainReply): void => self.postMessage(m);
const trainer = new ReverseTrainer(0);
let running = false;

function slice(): void {
  if (!running) return;
  const t0 = performance.now();
  const losses: number[] = [];
  while (performance.now() - t0 < 50) losses.push(trainer.step());
  post({ type: "progress", steps: trainer.steps, losses, examples: trainer.examples });
  setTimeout(slice, 0);
}

async function handle(m: TrainRequest): Promise<void> {
  try {
    if (m.type === "start") {
      await setBackendAsync("wasm");
      await setNumThreads(m.threads);
      post({ type: "ready", threads: getNumThreads() });
    } else if (m.type === "run") {
      running = true;
      slice();
    } else if (m.type === "stop") {
      running = false;
    } else {
      const { output, heads } = trainer.predict(m.word);
      post({ type: "prediction", word: m.word, output, heads: { shape: [...heads.shape], data: heads.data as Float32Array } });
    }
  } catch (err) {
    post({ type: "error", message: (err as Error).message });
  }
}

self.addEventListener("message", (e: MessageEvent<TrainRequest>) => void handle(e.data));
