import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

/** The most lines given to the model at once; lines that arrive together are decoded together. */
const BATCH = 64;
/** Stop reading ahead once this many lines wait for the model. */
const HIGH_WATER = 4096;

/** A model's predictions for a batch of inputs (the ONNX Runtime engine answers asynchronously). */
export type PredictFn = (inputs: string[]) => string[] | Promise<string[]>;

/** One answered input: an output, or the reason it could not be answered. */
export type Answer = { input: string; output: string } | { input: string; error: string };

/** The task's reason without the `predict: ` prefix its errors carry. */
function reason(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/^predict: /, "");
}

/**
 * Answer `inputs` in order. A blank input gets a blank output without reaching the model; the
 * rest go to the model together, and if that fails one by one, so one bad input does not cost
 * the others their answers.
 */
export async function answer(predict: PredictFn, inputs: readonly string[]): Promise<Answer[]> {
  const words = inputs.map((s) => s.trim());
  const todo = words.flatMap((w, i) => (w === "" ? [] : [i]));
  const out: Answer[] = words.map((input) => ({ input, output: "" }));
  const one = async (i: number): Promise<Answer> => {
    try {
      const [output] = await predict([words[i]!]);
      return { input: words[i]!, output: output ?? "" };
    } catch (e) {
      return { input: words[i]!, error: reason(e) };
    }
  };
  if (todo.length === 0) return out;
  try {
    const outputs = await predict(todo.map((i) => words[i]!));
    todo.forEach((i, k) => (out[i] = { input: words[i]!, output: outputs[k] ?? "" }));
  } catch {
    for (const i of todo) out[i] = await one(i);
  }
  return out;
}

/**
 * Read `input` line by line and call `emit` for each line's answer, in order, as soon as it is
 * ready: lines that arrive while the model works are decoded together in the next batch.
 */
export async function answerStream(predict: PredictFn, input: Readable, emit: (a: Answer, lineNumber: number) => void): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  rl.on("line", (line) => {
    queue.push(line);
    if (queue.length >= HIGH_WATER) rl.pause();
    notify();
  });
  rl.on("close", () => {
    ended = true;
    notify();
  });
  let n = 0;
  for (;;) {
    if (queue.length === 0) {
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }
    const lines = queue.splice(0, BATCH);
    if (queue.length < HIGH_WATER / 2) rl.resume();
    for (const a of await answer(predict, lines)) emit(a, ++n);
    await new Promise((resolve) => setImmediate(resolve)); // let the lines that came meanwhile in
  }
}

/** `input<TAB>output` (a blank input gives a blank line; a failed one `input<TAB>`), or one JSON object. */
export function formatAnswer(a: Answer, json: boolean): string {
  if (json) return JSON.stringify(a);
  if ("error" in a) return `${a.input}\t`;
  return a.input === "" ? "" : `${a.input}\t${a.output}`;
}
