import { getNumThreads } from "@heed/tensor-core";
import { heatmap } from "./heatmap.js";
import { rowsOf } from "./matrix.js";
import { ReverseTrainer } from "./reverse-task.js";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

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

/**
 * Section 4: train the reverse-a-word preset in the page (main thread, a few steps per animation
 * frame), with a live loss curve, examples/s, stop/resume, and a prediction box with the
 * cross-attention of each head.
 */
export function trainPanel(root: HTMLElement): { trainer: ReverseTrainer; losses: number[] } {
  const trainer = new ReverseTrainer(0);
  const losses: number[] = [];
  const curve = el("canvas", { width: 420, height: 140, id: "loss-curve" });
  const stats = el("p", { className: "mono", id: "train-stats" }, "not started");
  const button = el("button", { id: "train-toggle" }, "Train");
  const word = el("input", { id: "word", value: "abcdef" });
  const output = el("p", { className: "mono", id: "prediction" });
  const maps = el("div", { className: "row", id: "cross-maps" });
  let running = false;
  let windowStart = 0;
  let windowExamples = 0;
  let rate = 0;
  const loop = (): void => {
    if (!running) return;
    const t0 = performance.now();
    while (performance.now() - t0 < 50) {
      losses.push(trainer.step());
      windowExamples += trainer.batchSize;
    }
    const now = performance.now();
    if (now - windowStart > 1000) {
      rate = (windowExamples * 1000) / (now - windowStart);
      windowStart = now;
      windowExamples = 0;
    }
    drawCurve(curve, losses);
    stats.textContent = `step ${trainer.steps}  loss ${losses.at(-1)!.toFixed(4)}  ${rate.toFixed(0)} examples/s  (${getNumThreads()} thread${getNumThreads() > 1 ? "s" : ""}, main thread)`;
    setTimeout(loop, 0);
  };
  button.addEventListener("click", () => {
    running = !running;
    button.textContent = running ? "Stop" : "Resume";
    windowStart = performance.now();
    windowExamples = 0;
    loop();
  });
  const predict = (): void => {
    try {
      const { output: out, heads } = trainer.predict(word.value);
      output.textContent = `${word.value} → ${out}`;
      output.className = "mono";
      const src = [...word.value.trim().toLowerCase()];
      const tgt = ["<s>", ...out];
      maps.replaceChildren(...Array.from({ length: heads.shape[1]! }, (_, h) => heatmap(rowsOf(heads, [0, h]), { max: 1, colLabels: src, rowLabels: tgt.slice(0, heads.shape[2]), caption: `cross-attention, head ${h}` })));
    } catch (e) {
      output.textContent = (e as Error).message;
      output.className = "err";
      maps.replaceChildren();
    }
  };
  const go = el("button", { id: "predict" }, "Reverse it");
  go.addEventListener("click", predict);
  word.addEventListener("keydown", (e) => e.key === "Enter" && predict());
  root.append(el("section", {},
    el("h2", {}, "Train in the page"),
    el("p", {}, "A 1-layer encoder–decoder (d=32, 2 heads) learns to reverse words over the letters a–h. Train it for ~30 s, then type a word: each output letter should attend to its mirror position (an anti-diagonal)."),
    el("p", {}, button), curve, stats,
    el("p", {}, el("label", {}, "word (a–h, up to 6 letters): ", word), go), output, maps));
  return { trainer, losses };
}
