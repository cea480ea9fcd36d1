import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { heed as run, lastEpoch, TINY, workDir } from "./cli.js";

const work = workDir();
afterAll(() => rmSync(work, { recursive: true, force: true }));
const heed = (args: string[], input?: string) => run(work, args, input);

describe("heed (built binary)", () => {
  it("prints help and exits 0", () => {
    const r = heed(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/train/);
    expect(r.stdout).toMatch(/predict/);
  });

  it.each([
    [["trian"], /unknown command 'trian'.*Did you mean train\?/],
    [["train", "g2pp"], /unknown task 'g2pp' \(did you mean 'g2p'\?\)/],
    [["train", "--epoch", "3"], /unknown option '--epoch'.*Did you mean --epochs\?/],
    [["train", "--epochs", "abc"], /invalid value for --epochs: 'abc' is not an integer/],
    [["train", "--lr", "-1"], /invalid value for --lr: -1/],
    [["train", "--d-model", "30", "--heads", "4"], /--d-model 30 is not divisible by --heads 4/],
    [["train", "--attention", "dott"], /did you mean 'dot'/],
    [["--threads", "0", "train"], /invalid value for --threads: 0/],
    [["train", "translate", "--from", "xx"], /^heed: invalid value for --from: 'xx'; locales: bn, da, /],
    [["train", "--save-every", "-1"], /invalid value for --save-every: -1/],
    [["train", "digits", "--recipe", "lng"], /^heed: invalid value for --recipe: 'lng' \(did you mean 'long'\?\); recipes: default, long, tied, deep, variants, multilingual, lexicon-tag$/m],
    [["train", "g2p", "--recipe", "long"], /^heed: invalid value for --recipe: task 'g2p' has no recipe 'long' \(its recipes: default\)$/m],
    [["train", "classify", "--refit", "yes"], /^heed: invalid value for --refit: 'yes' \(expected on or off\)$/m],
    [["train", "seed", "--beam", "3"], /^heed: train: --beam does not apply to the 'seed' task: beam search decodes g2p and translate only$/m],
    [["train", "forecast", "--ff", "64"], /^heed: train: --ff does not apply to the 'forecast' task: its attention layers have no feed-forward block$/m],
    [["--threads", "1e9", "predict", "runs/none", "x"], /^heed: invalid value for --threads: 1e9 \(expected an integer >= 1 and <= 64\)$/m],
    [["train", "g2p", "--refit", "on", "--no-save"], /^heed: train: --refit on needs a task that can train on its validation split \(classify, forecast\); 'g2p' cannot$/m],
  ])("usage error %j: one line on stderr, exit 2", (args, message) => {
    const r = heed(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("forecast's default refit: best/ is phase 2's model, trained on the validation windows too, with phase 1's beside it; valid-best/ phase 1's", { timeout: 300_000 }, () => {
    const out = join(work, "forecast-refit");
    const r = heed(["train", "forecast", "--d-model", "8", "--heads", "2", "--epochs", "3", "--patience", "0", "--out", out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; text?: string; trainSize?: number; refit?: unknown; metrics?: Record<string, number> });
    expect(events.find((e) => e.event === "start")?.trainSize).toBe(520);
    const valid = JSON.parse(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").at(-1)!) as { validLoss: number };
    expect(Number.isFinite(valid.validLoss)).toBe(true); // phase 1 read the validation split …
    const epochs = (JSON.parse(readFileSync(join(out, "valid-best", "trainer.json"), "utf8")) as { epoch: number }).epoch;
    expect(events.filter((e) => e.event === "message").map((e) => e.text)).toEqual([`refit: a fresh model on the training + validation splits (568 examples) for ${epochs} epochs, phase 1's best; phase 1's model stays in it, untrained`]);
    // best/ forecasts the mean of phase 2's 5 forecasters and phase 1's 5 (REFIT_BLEND)
    expect((JSON.parse(readFileSync(join(out, "best", "vocab.json"), "utf8")) as { members: number }).members).toBe(10);
    expect((JSON.parse(readFileSync(join(out, "valid-best", "vocab.json"), "utf8")) as { members: number }).members).toBe(5);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: "done", refit: { epochs, examples: 568 } });
    const refitRecords = readFileSync(join(out, "refit", "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { validLoss: number | null });
    expect(refitRecords.map((x) => x.validLoss)).toEqual(Array(epochs).fill(null)); // … phase 2 trained on it and never scored it
    const ev = JSON.parse(heed(["eval", out, "--json"]).stdout) as { metrics: Record<string, number> };
    expect(ev.metrics.mae).toBe(done.metrics!.mae); // eval reads phase 2's model (with phase 1's)
    const phase1 = JSON.parse(heed(["eval", join(out, "valid-best"), "--json"]).stdout) as { metrics: Record<string, number> };
    expect(phase1.metrics.mae).not.toBe(ev.metrics.mae);
    const off = heed(["train", "forecast", "--d-model", "8", "--heads", "2", "--epochs", "1", "--refit", "off", "--out", join(work, "forecast-off"), "--json"]);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).not.toMatch(/"event":"message"|Refit epoch/);
    expect(JSON.parse(off.stdout.trim().split("\n").at(-1)!)).not.toHaveProperty("refit");
    expect(existsSync(join(work, "forecast-off", "valid-best"))).toBe(false);
  });

  it("missing checkpoint: one line, exit 1", () => {
    const r = heed(["predict", "nowhere", "cat"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^heed: no checkpoint at 'nowhere'/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("trains, resumes, evaluates, predicts, draws attention and describes a g2p model", { timeout: 300_000 }, () => {
    const out = join(work, "g2p");
    const json = heed(["train", ...TINY, "--max-steps", "3", "--out", out, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const events = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; line?: string; stopped?: string });
    expect(events[0]!.event).toBe("start");
    expect(events.filter((e) => e.event === "step")).toHaveLength(3);
    const epoch = events.find((e) => e.event === "epoch")!;
    expect(epoch.line).toMatch(/^Epoch 1\/30, Loss: \d+\.\d{4}, Test Loss: \d+\.\d{4}, PER: [\d.]+%, WER: [\d.]+% \(stopped after 3 batches\)$/);
    expect(events.at(-1)).toMatchObject({ event: "done", stopped: "steps" });
    for (const f of ["model.safetensors", "optimizer.safetensors", "config.json", "vocab.json", "trainer.json"]) {
      expect(existsSync(join(out, "last", f)), f).toBe(true);
    }
    expect(existsSync(join(out, "best", "model.safetensors"))).toBe(true);
    expect(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);
    expect(readFileSync(join(out, "loss.svg"), "utf8")).toMatch(/^<svg/);

    // resume for 2 more steps == an uninterrupted 5-step run (same seed, same numbers)
    const resumed = heed(["train", "--resume", out, "--max-steps", "5", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const straight = heed(["train", ...TINY, "--max-steps", "5", "--out", join(work, "straight"), "--json"]);
    expect(straight.code, straight.stderr).toBe(0);
    expect(lastEpoch(resumed.stdout).testLoss).toBe(lastEpoch(straight.stdout).testLoss);
    expect(lastEpoch(resumed.stdout).loss).toBe(lastEpoch(straight.stdout).loss);

    const evalR = heed(["--threads", "2", "eval", out, "--limit", "20", "--json"]);
    expect(evalR.code, evalR.stderr).toBe(0);
    expect(JSON.parse(evalR.stdout)).toMatchObject({ task: "g2p", metrics: { words: 20 } });

    const pred = heed(["predict", out, "attention", "heed"]);
    expect(pred.code, pred.stderr).toBe(0);
    expect(pred.stdout.trim().split("\n")).toHaveLength(2);
    expect(pred.stdout).toMatch(/^attention\t[A-Z0-9 ]*\nheed\t/);
    const stdin = heed(["predict", out, "--json"], "cat\ndog\n");
    expect(stdin.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { input: string }).input)).toEqual(["cat", "dog"]);
    const empty = heed(["predict", out], "");
    expect([empty.code, empty.stdout, empty.stderr]).toEqual([0, "", ""]); // a filter: no input, no output
    const bad = heed(["predict", out, "héllo"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("heed predict: 'héllo' has characters the model does not know: é (it reads a-z and ')\n");

    const svg = join(work, "map.svg");
    const att = heed(["attention", out, "heed", "--out", svg]);
    expect(att.code, att.stderr).toBe(0);
    expect(att.stdout).toMatch(/decoder layer 1 cross-attention, head 1/);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg/);

    const info = heed(["info", out]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/task:\s+g2p/);
    expect(info.stdout).toMatch(/parameters:/);
  });

  it("refuses corrupt and incompatible checkpoints with one line and exit 1", { timeout: 120_000 }, () => {
    const out = join(work, "bad");
    expect(heed(["train", ...TINY, "--max-steps", "1", "--out", out]).code).toBe(0);
    const cfgPath = join(out, "last", "config.json");
    const cfg = JSON.parse(readFileSync(cfgPath, "utf8")) as Record<string, unknown>;
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, checkpointFormat: 99 }));
    const old = heed(["info", join(out, "last")]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/has format 99, but this heed reads format 1/);
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, dModel: "wide" }));
    const invalid = heed(["info", join(out, "last")]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^heed: checkpoint file .*config\.json is invalid: field 'dModel': Invalid input: expected number, received string\n$/);
    const model = join(out, "best", "model.safetensors");
    writeFileSync(model, readFileSync(model).subarray(0, 100));
    const corrupt = heed(["predict", join(out, "best"), "cat"]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/checkpoint file .*model\.safetensors is corrupt/);
    expect(corrupt.stderr.trim().split("\n")).toHaveLength(1);
  });
});
