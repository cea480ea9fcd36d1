import { dotProductAttention, MultiHeadAttention, ResidualSelfAttention, scaledDotProductAttention, causalMask } from "@heed/attention";
import { Generator, randn, tensor, type Tensor } from "@heed/tensor-core";
import { heatmap } from "./heatmap.js";
import { parseMatrix, rowsOf } from "./matrix.js";

const Q0 = "1 0 1 0\n0 1 0 1\n1 1 0 0";
const K0 = "1 0 1 0\n0 1 0 1\n1 1 1 1\n0 0 1 1";
const V0 = "1 0\n0 1\n1 1\n0 0";

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Max softmax weight of random unit-variance q·k scores, unscaled vs scaled by 1/√d, for growing d. */
function saturation(): HTMLElement {
  const rng = new Generator(7);
  const lines = [8, 64, 512].map((d) => {
    const q = randn([1, 1, d], rng);
    const k = randn([1, 8, d], rng);
    const v = randn([1, 8, 1], rng);
    const dot = Math.max(...rowsOf(dotProductAttention(q, k, v, { returnWeights: true }).weights)[0]!);
    const scaled = Math.max(...rowsOf(scaledDotProductAttention(q, k, v, { returnWeights: true }).weights)[0]!);
    return `d=${String(d).padStart(3)}: largest weight  dot-product ${dot.toFixed(3)}   scaled ${scaled.toFixed(3)}`;
  });
  return el("pre", { className: "mono", id: "saturation" }, "Softmax saturation (8 random keys):\n" + lines.join("\n"));
}

/** The "padded keys at the end" field: a whole number from 0 to S - 1 (one key at least stays visible), else an error saying so. */
function paddedKeys(pad: HTMLInputElement, S: number): number {
  const n = Number(pad.value);
  if (pad.value !== "" && Number.isInteger(n) && n >= 0 && n <= S - 1) return n;
  const got = pad.validity.badInput ? "text that is not a number" : pad.value === "" ? "an empty field" : `'${pad.value}'`;
  throw new Error(`padded keys: expected a whole number from 0 to ${S - 1} (K has ${S} row${S === 1 ? "" : "s"} and one key at least stays visible), got ${got}`);
}

/** Section 1: dot-product vs scaled dot-product attention on editable Q/K/V, with padding and causal masks. */
export function stepByStep(root: HTMLElement): void {
  const q = el("textarea", { id: "q", value: Q0 });
  const k = el("textarea", { id: "k", value: K0 });
  const v = el("textarea", { id: "v", value: V0 });
  const causal = el("input", { type: "checkbox", id: "causal" });
  const pad = el("input", { type: "number", id: "pad", value: "0", min: "0", max: "8" });
  const out = el("div", { className: "row", id: "sdpa-out" });
  const err = el("p", { className: "err", id: "sdpa-error" });
  const render = (): void => {
    out.replaceChildren();
    err.textContent = "";
    try {
      const [Q, K, V] = [parseMatrix(q.value, "Q"), parseMatrix(k.value, "K"), parseMatrix(v.value, "V")];
      const L = Q.shape[0]!;
      const S = K.shape[0]!;
      pad.max = String(S - 1);
      const padded = paddedKeys(pad, S);
      // Functional ops take a "takes part" mask: TRUE = key visible.
      let mask: Tensor | null = padded > 0 ? tensor(Array.from({ length: L }, () => Array.from({ length: S }, (_, j) => j < S - padded)), undefined, "bool") : null;
      if (causal.checked) {
        const c = causalMask(L, S);
        mask = mask === null ? c : tensor(rowsOf(c).map((r, i) => r.map((x, j) => x !== 0 && rowsOf(mask!)[i]![j] !== 0)), undefined, "bool");
      }
      const cols = Array.from({ length: S }, (_, j) => `k${j}`);
      const rows = Array.from({ length: L }, (_, i) => `q${i}`);
      for (const [name, fn] of [["dot-product", dotProductAttention], ["scaled dot-product (÷√d)", scaledDotProductAttention]] as const) {
        const { output, weights } = fn(Q, K, V, { returnWeights: true, attnMask: mask });
        out.append(heatmap(rowsOf(weights), { max: 1, rowLabels: rows, colLabels: cols, caption: `${name} weights` }));
        out.append(heatmap(rowsOf(output), { caption: `${name} output` }));
      }
    } catch (e) {
      err.textContent = (e as Error).message;
    }
  };
  for (const input of [q, k, v, causal, pad]) input.addEventListener("input", render);
  root.append(
    el("section", {},
      el("h2", {}, "Attention, step by step"),
      el("p", {}, "Edit the queries, keys and values (one row per token). Weights are softmax(Q·Kᵀ) and softmax(Q·Kᵀ/√d); darker = larger."),
      el("div", { className: "row" }, el("label", {}, "Q", q), el("label", {}, "K", k), el("label", {}, "V", v)),
      el("p", {}, el("label", {}, causal, " causal mask"), el("label", {}, "padded keys at the end: ", pad)),
      err, out, saturation()),
    multiHead(), residual());
  render();
}

/** Section 2: a MultiHeadAttention layer's weights, one heatmap per head. */
function multiHead(): HTMLElement {
  const rng = new Generator(3);
  const mha = new MultiHeadAttention({ embedDim: 8, numHeads: 4, rng });
  const x = randn([1, 5, 8], rng);
  const { weights } = mha.forward(x, x, x, { averageAttnWeights: false, isCausal: false });
  const row = el("div", { className: "row", id: "heads" });
  for (let h = 0; h < 4; h++) row.append(heatmap(rowsOf(weights!, [0, h]), { max: 1, caption: `head ${h}` }));
  return el("section", {}, el("h2", {}, "Multi-head attention"), el("p", {}, `Each head has its own projections, so each looks elsewhere (E=8, H=4, random seed-3 weights). ${mha.typeName}: ${mha.numParameters()} parameters.`), row);
}

/** Section 3: residual self-attention with the norm before (pre) or after (post) the residual add. */
function residual(): HTMLElement {
  const x = randn([1, 5, 8], new Generator(5));
  const row = el("div", { className: "row" });
  for (const norm of ["pre", "post"] as const) {
    const block = new ResidualSelfAttention({ embedDim: 8, numHeads: 2, norm, rng: new Generator(4) });
    row.append(heatmap(rowsOf(block.forward(x, { isCausal: true })), { caption: `${norm}-norm output [5, 8] (causal)` }));
  }
  row.prepend(heatmap(rowsOf(x), { caption: "input x [5, 8]" }));
  return el("section", {}, el("h2", {}, "Residual self-attention"), el("p", {}, "x + attention(norm(x)) (pre-norm) vs norm(x + attention(x)) (post-norm). Blue positive, red negative."), row);
}
