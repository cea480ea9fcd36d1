import { G2PCheckpoint, CHECKPOINT_FILES } from "./checkpoint.js";
import { el } from "./dom.js";
import { heatmap } from "./heatmap.js";

/**
 * Section: a checkpoint from `heed train g2p` — drop (or pick) the files of its directory, then
 * type a word to see its pronunciation and each head's cross-attention (which letters each
 * phoneme reads). Everything stays in the page: the files are read, not uploaded.
 */
export function checkpointPanel(root: HTMLElement): { current: () => G2PCheckpoint | null } {
  let ckpt: G2PCheckpoint | null = null;
  const input = el("input", { type: "file", multiple: true, id: "ckpt-files" });
  const status = el("p", { className: "mono", id: "ckpt-status" }, "no checkpoint loaded");
  const word = el("input", { id: "ckpt-word", value: "heed", disabled: true });
  const go = el("button", { id: "ckpt-predict", disabled: true }, "Pronounce");
  const output = el("p", { className: "mono", id: "ckpt-prediction" });
  const maps = el("div", { className: "row", id: "ckpt-maps" });
  const drop = el("div", { id: "ckpt-drop" }, `Drop ${CHECKPOINT_FILES.join(", ")} here (from runs/<name>/best/), or pick them: `, input);

  const load = async (files: Iterable<File>): Promise<void> => {
    try {
      const contents = new Map<string, Uint8Array>();
      for (const f of files) contents.set(f.name, new Uint8Array(await f.arrayBuffer()));
      ckpt = G2PCheckpoint.fromFiles(contents);
      const c = ckpt.config;
      status.textContent = `loaded: g2p, ${c.layers}+${c.layers} layers, d ${c.dModel}, ${c.heads} heads, ff ${c.ff} (${ckpt.model.parameters().reduce((s, p) => s + p.size, 0).toLocaleString("en")} parameters)`;
      status.className = "mono";
      word.disabled = go.disabled = false;
      predict();
    } catch (e) {
      ckpt = null;
      status.textContent = (e as Error).message;
      status.className = "err";
      word.disabled = go.disabled = true;
    }
  };
  const predict = (): void => {
    if (ckpt === null) return;
    try {
      const p = ckpt.predict(word.value);
      output.textContent = `${word.value.trim().toLowerCase()} → ${p.phonemes.join(" ")}`;
      output.className = "mono";
      const rows = ["<s>", ...p.phonemes];
      maps.replaceChildren(...p.cross.flatMap((layer, l) => layer.map((w, h) =>
        heatmap(w, { max: 1, cell: 18, colLabels: p.letters, rowLabels: rows.map((r) => r.replace(/\d$/, "")), caption: `decoder layer ${l + 1}, head ${h + 1}` }))));
    } catch (e) {
      output.textContent = (e as Error).message;
      output.className = "err";
      maps.replaceChildren();
    }
  };
  drop.style.cssText = "border: 2px dashed #999; padding: 1rem; margin: .5rem 0";
  input.addEventListener("change", () => void load(input.files ?? []));
  drop.addEventListener("dragover", (e) => e.preventDefault());
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    void load(e.dataTransfer?.files ?? []);
  });
  go.addEventListener("click", predict);
  word.addEventListener("keydown", (e) => e.key === "Enter" && predict());
  root.append(el("section", {},
    el("h2", {}, "A checkpoint from heed train"),
    el("p", {}, "Train a grapheme-to-phoneme model with the command line (", el("code", {}, "pnpm heed train g2p --out runs/g2p"), "), then load its files here: the page rebuilds the same model and pronounces words, with each decoder head's cross-attention over the letters."),
    drop, status, el("p", {}, el("label", {}, "word: ", word), go), output, maps));
  return { current: () => ckpt };
}
