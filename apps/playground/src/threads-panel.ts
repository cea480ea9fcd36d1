import { getNumThreads, setNumThreads, wasmInfo } from "@heed/tensor-core";
import { el } from "./dom.js";
import { timeThreads, type TimingRow } from "./timing.js";

/** The wasm backend's state in one line. */
export function describeBackend(): string {
  const w = wasmInfo();
  const from = w.source === null ? "" : ` (${{ file: "read from disk", url: "fetched", embedded: "embedded copy" }[w.source]})`;
  return `crossOriginIsolated: ${globalThis.crossOriginIsolated === true} · wasm: ${w.variant ?? "not loaded"}${from}, threads ${w.threads} — ${w.note}`;
}

function table(rows: TimingRow[], counts: number[]): HTMLTableElement {
  const t = el("table", { id: "timing-table", className: "mono" });
  t.append(el("tr", {}, el("th", {}, "workload"), ...counts.map((n) => el("th", {}, `${n} thread${n > 1 ? "s" : ""}`)), el("th", {}, "speed-up")));
  for (const r of rows) {
    const first = r.ms[counts[0]!]!;
    const last = r.ms[counts[counts.length - 1]!]!;
    t.append(el("tr", {}, el("td", {}, r.name), ...counts.map((n) => el("td", {}, `${r.ms[n]!.toFixed(1)} ms`)), el("td", {}, `${(first / last).toFixed(2)}×`)));
  }
  return t;
}

/**
 * Section 0: how the kernels run here — the thread count (a selector: Web Workers on shared
 * memory where the page is cross-origin isolated) and a 1 vs 2 threads timing.
 */
export function threadsPanel(root: HTMLElement, onChange: () => void): { timings: TimingRow[] | null } {
  const state: { timings: TimingRow[] | null } = { timings: null };
  const cores = Math.max(2, navigator.hardwareConcurrency || 1);
  const select = el("select", { id: "threads" }, ...Array.from({ length: cores }, (_, i) => el("option", { value: String(i + 1), selected: i + 1 === getNumThreads() }, String(i + 1))));
  const measure = el("button", { id: "time-threads" }, "Time 1 vs 2 threads");
  const out = el("div", { id: "timing" });
  // One thread change at a time: the selector and the timing (which switches 1 → 2 → back) lock
  // each other out, and the selector always shows the count the kernels run on afterwards.
  const busy = (on: boolean): void => {
    select.disabled = measure.disabled = on;
    if (!on) {
      select.value = String(getNumThreads());
      onChange();
    }
  };
  select.addEventListener("change", () => {
    busy(true);
    void setNumThreads(Number(select.value))
      .catch((e: unknown) => out.replaceChildren(el("p", { className: "err" }, (e as Error).message)))
      .finally(() => busy(false));
  });
  measure.addEventListener("click", () => {
    busy(true);
    out.textContent = "measuring (a few seconds)…";
    void timeThreads([1, 2]).then(
      (rows) => {
        state.timings = rows;
        out.replaceChildren(table(rows, [1, 2]));
      },
      (e: unknown) => {
        out.replaceChildren(el("p", { className: "err" }, (e as Error).message));
      },
    ).finally(() => busy(false));
  });
  root.append(el("section", {},
    el("h2", {}, "Threads"),
    el("p", {}, "The kernels run on Web Workers sharing the page's WebAssembly memory when the page is cross-origin isolated (served with COOP/COEP headers); otherwise on one thread, and the line above says why."),
    el("p", {}, el("label", {}, "threads: ", select), measure), out));
  return state;
}
