import { heatmap } from "./heatmap.js";
import { el } from "./dom.js";
import type { TrainReply, TrainRequest } from "./train-worker.js";

/** Draw the loss history as a polyline on a canvas (log-free, y from 0 to the first loss). */
function drawCurve(canvas: HTMLCanvasElement, losses: number[]): void {
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (losses.length < 2) return;
  const top = Math.max(...losses);
  ctx.strokeStyle = "#1f5fbf";
  ctx.beginPath();
  losses.forEach((l, i) => {
    const x = (i / (losses.length - 1)) * (canvas.width - 4) + 2;
    const y = canvas.height - 2 - (l / top) * (canvas.height - 4);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
}

/** The page's view of the training worker: step count and losses, updated from its messages. */
export interface TrainState {
  trainer: { steps: number; threads: number };
  losses: number[];
}

/**
 * Section: train the reverse-a-word preset in a dedicated Worker (train-worker.ts, with its own
 * kernel threads), with a live loss curve, examples/s, stop/resume, and a prediction box with
 * the cross-attention of each head.
 */
export function trainPanel(root: HTMLElement, threads: number): TrainState {
  const state: TrainState = { trainer: { steps: 0, threads: 0 }, losses: [] };
  const worker = new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module", name: "heed-train" });
  const send = (m: TrainRequest): void => worker.postMessage(m);
  const curve = el("canvas", { width: 420, height: 140, id: "loss-curve" });
  const stats = el("p", { className: "mono", id: "train-stats" }, "starting the training worker…");
  const button = el("button", { id: "train-toggle", disabled: true }, "Train");
  const word = el("input", { id: "word", value: "abcdef" });
  const output = el("p", { className: "mono", id: "prediction" });
  const maps = el("div", { className: "row", id: "cross-maps" });
  let running = false;
  let windowStart = 0;
  let windowExamples = 0;
  let lastExamples = 0;
  let rate = 0;
  worker.addEventListener("message", (e: MessageEvent<TrainReply>) => {
    const m = e.data;
    if (m.type === "ready") {
      state.trainer.threads = m.threads;
      button.disabled = false;
      stats.textContent = `ready (worker with ${m.threads} kernel thread${m.threads > 1 ? "s" : ""})`;
    } else if (m.type === "progress") {
      state.losses.push(...m.losses);
      state.trainer.steps = m.steps;
      windowExamples += m.examples - lastExamples;
      lastExamples = m.examples;
      const now = performance.now();
      if (now - windowStart > 1000) {
        rate = (windowExamples * 1000) / (now - windowStart);
        windowStart = now;
        windowExamples = 0;
      }
      drawCurve(curve, state.losses);
      stats.textContent = `step ${m.steps}  loss ${state.losses.at(-1)!.toFixed(4)}  ${rate.toFixed(0)} examples/s  (a Worker, ${state.trainer.threads} kernel thread${state.trainer.threads > 1 ? "s" : ""})`;
    } else if (m.type === "prediction") {
      output.textContent = `${m.word} → ${m.output}`;
      output.className = "mono";
      const [, H, T, S] = m.heads.shape as [number, number, number, number];
      const src = [...m.word.trim().toLowerCase()];
      const tgt = ["<s>", ...m.output];
      maps.replaceChildren(...Array.from({ length: H }, (_, h) => {
        const rows = Array.from({ length: T }, (_, t) => Array.from(m.heads.data.subarray((h * T + t) * S, (h * T + t + 1) * S), Number));
        return heatmap(rows, { max: 1, colLabels: src, rowLabels: tgt.slice(0, T), caption: `cross-attention, head ${h}` });
      }));
    } else {
      output.textContent = m.message;
      output.className = "err";
      maps.replaceChildren();
    }
  });
  send({ type: "start", threads });
  button.addEventListener("click", () => {
    running = !running;
    button.textContent = running ? "Stop" : "Resume";
    windowStart = performance.now();
    windowExamples = 0;
    send({ type: running ? "run" : "stop" });
  });
  const go = el("button", { id: "predict" }, "Reverse it");
  const predict = (): void => send({ type: "predict", word: word.value });
  go.addEventListener("click", predict);
  word.addEventListener("keydown", (e) => e.key === "Enter" && predict());
  root.append(el("section", {},
    el("h2", {}, "Train in the page"),
    el("p", {}, "A 1-layer encoder–decoder (d=32, 2 heads) learns to reverse words over the letters a–h, in a Web Worker (the page stays responsive). Train it for ~30 s, then type a word: each output letter should attend to its mirror position (an anti-diagonal)."),
    el("p", {}, button), curve, stats,
    el("p", {}, el("label", {}, "word (a–h, up to 6 letters): ", word), go), output, maps));
  return state;
}
