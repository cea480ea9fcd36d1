import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bin, heed, trainedRun } from "./cli.js";

const { work, run } = trainedRun();

const MIXED = "cat\nhéllo\n\n  dog  \n" + "x".repeat(41) + "\nheed";
const UNKNOWN = "'héllo' has characters the model does not know: é (it reads a-z and ')";
const TOO_LONG = `'${"x".repeat(41)}' is longer than 40 letters`;

describe("heed predict as a Unix filter (built binary)", () => {
  it("one line out per line in, in order: input<TAB>output, blank for blank, input<TAB> and a stderr line for a bad one, exit 1", () => {
    const r = heed(work, ["predict", run], MIXED);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines).toHaveLength(7); // six answers and the final newline
    expect(lines[0]).toMatch(/^cat\t[A-Z0-9 ]+$/);
    expect(lines.slice(1, 3)).toEqual(["héllo\t", ""]);
    expect(lines[3]).toMatch(/^dog\t[A-Z0-9 ]+$/);
    expect(lines[4]).toBe(`${"x".repeat(41)}\t`);
    expect(lines[5]).toMatch(/^heed\t[A-Z0-9 ]+$/);
    expect(r.stderr).toBe(`heed predict: line 2: ${UNKNOWN}\nheed predict: line 5: ${TOO_LONG}\n`);
    const good = heed(work, ["predict", run], "cat\n\ndog\n");
    expect(good.code).toBe(0);
    expect(good.stderr).toBe("");
  });

  it("--json: one object per input line", () => {
    const r = heed(work, ["predict", run, "--json"], MIXED);
    expect(r.code).toBe(1);
    const objs = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    expect(objs.map((o) => o.input)).toEqual(["cat", "héllo", "", "dog", "x".repeat(41), "heed"]);
    expect(objs[1]).toEqual({ input: "héllo", error: UNKNOWN });
    expect(objs[2]).toEqual({ input: "", output: "" });
    expect(typeof objs[3]!.output).toBe("string");
  });

  it("several arguments get input<TAB>output lines, one argument just its output", () => {
    const several = heed(work, ["predict", run, "cat", "dog"]);
    expect(several.code).toBe(0);
    expect(several.stdout).toMatch(/^cat\t[A-Z0-9 ]+\ndog\t[A-Z0-9 ]+\n$/);
    const one = heed(work, ["predict", run, "cat"]);
    expect(one.stdout).toBe(several.stdout.split("\n")[0]!.split("\t")[1] + "\n");
  });

  it("answers each line as it arrives, before stdin ends", { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [bin, "predict", run], { cwd: work });
    const answers: string[] = [];
    let buffered = "";
    const next = () => new Promise<string>((resolve) => {
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString();
        const nl = buffered.indexOf("\n");
        if (nl < 0) return;
        child.stdout.off("data", onData);
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        resolve(line);
      };
      child.stdout.on("data", onData);
    });
    for (const word of ["cat", "dog"]) {
      child.stdin.write(`${word}\n`);
      answers.push(await next()); // stdin is still open
    }
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(answers.map((a) => a.split("\t")[0])).toEqual(["cat", "dog"]);
    expect(code).toBe(0);
  });

  it("a closed pipe (| head -3) ends it quietly", { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [bin, "predict", run], { cwd: work });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdin.on("error", () => undefined); // it may stop reading once its stdout is gone
    child.stdin.end("heed\n".repeat(20_000));
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stderr).toBe("");
  });

  it("eval and info end quietly on a closed pipe too (| head -1)", { timeout: 120_000 }, async () => {
    for (const command of ["eval", "info"]) {
      const child = spawn(process.execPath, [bin, command, run], { cwd: work });
      child.stdout.destroy(); // the reader is gone before the first line is written
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect({ command, code, stderr }).toEqual({ command, code: 0, stderr: "" });
    }
  });

  it("a very long input is quoted short in its one error line; attention names itself, not predict", () => {
    const long = "x".repeat(5000);
    const r = heed(work, ["predict", run], `cat\n${long}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`heed predict: line 2: '${"x".repeat(40)}…' (5000 characters) is longer than 40 letters\n`);
    const a = heed(work, ["attention", run, long]);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(`heed: attention: '${"x".repeat(40)}…' (5000 characters) is longer than 40 letters\n`);
  });
});
