import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { heed, TINY, watch, workDir } from "./cli.js";

const work = workDir();
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("heed train whose stdout goes away (`heed train | head -3`; built binary)", () => {
  it("stops at a step boundary, saves last/, one line on stderr, exit 141, no stack trace; --resume goes on", { timeout: 180_000 }, async () => {
    const out = join(work, "piped");
    let closed = false;
    const r = await watch(work, ["train", ...TINY, "--out", out, "--save-every", "0", "--json"], (e, child) => {
      if (!closed && e.event === "step" && e.step === 2) {
        closed = true;
        child.stdout.destroy(); // the reader of the pipe is gone: the next write fails with EPIPE
      }
    });
    expect(r.code, r.stderr).toBe(141);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^heed: stdout closed \\(SIGPIPE\\) at epoch 1, step (\\d+): saved ${out}/last; resume: .+ train --resume ${out}; evaluate: .+ eval ${out}/last$`));
    const step = Number(/step (\d+)/.exec(lines[0]!)![1]);
    const info = heed(work, ["info", out, "--json"]);
    expect(info.code, info.stderr).toBe(0);
    expect((JSON.parse(info.stdout) as { step: number }).step).toBe(step);
    const resumed = heed(work, ["train", "--resume", out, "--max-steps", String(step + 1), "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
  });
});
