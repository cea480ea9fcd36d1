/**
 * The child process of one engine on one case (`index.js --worker=<case>@<engine>`): loads
 * only that engine, prepares and checks the case, then runs iterations when the parent asks
 * and reports times, memory, GC and CPU. Nothing else computes in this process, so no other
 * engine's heap, garbage, thread pool or wasm runtime can disturb its numbers.
 */
import os from "node:os";
import { allCases } from "../cases/index.js";
import { allEngines } from "../engines.js";
import { errorText } from "../measure.js";
import type { FromChild, ToChild, WorkerSpec } from "./protocol.js";
import { Runner } from "./runner.js";
import { loadEngine, OpenFailure, prepareCase } from "./session.js";
import { trackWasmMemories } from "./wasm-memory.js";

function send(msg: FromChild): Promise<void> {
  return new Promise((resolve, reject) => process.send!(msg, undefined, undefined, (err) => (err ? reject(err) : resolve())));
}

/** Serves one session; resolves when the parent has received the final report. */
export async function runWorker(spec: WorkerSpec): Promise<void> {
  if (process.send === undefined) throw new Error("bench: --worker runs as a child of `pnpm bench` (no IPC channel)");
  const wasmBytes = trackWasmMemories(); // before any engine creates its wasm memory
  const engine = allEngines(os.availableParallelism()).find((e) => e.id === spec.engineId);
  if (engine === undefined) throw new Error(`bench: unknown engine '${spec.engineId}'`);
  const loaded = await loadEngine(engine);
  const label = engine.label;
  if (spec.caseId === "") {
    // only load: the parent asks each engine once whether it loads, and its label
    await send(loaded.loadError === undefined ? { type: "ready", pid: process.pid, label, outputs: [] } : { type: "failed", status: "n/a", reason: `cannot load: ${loaded.loadError}`, label });
    loaded.release();
    return;
  }
  const c = allCases(spec.quick).find((x) => x.id === spec.caseId);
  if (c === undefined) throw new Error(`bench: unknown case '${spec.caseId}'`);
  let runner: Runner;
  try {
    const { prepared, outputs } = await prepareCase(loaded, c);
    runner = new Runner(prepared, wasmBytes);
    await send({ type: "ready", pid: process.pid, label, outputs });
  } catch (err) {
    const f = err instanceof OpenFailure ? err : new OpenFailure("error", errorText(err));
    await send({ type: "failed", status: f.status, reason: f.message, label });
    loaded.release();
    return;
  }
  await new Promise<void>((resolve) => {
    const onMessage = (msg: ToChild) => {
      const reply = async (): Promise<void> => {
        if (msg.type === "run") {
          try {
            await send({ type: "ran", times: await runner.run(msg.n, msg.timed) });
          } catch (err) {
            await send({ type: "run-error", reason: errorText(err) });
          }
          return;
        }
        const end = await runner.finish();
        loaded.release();
        process.off("message", onMessage);
        await send({ type: "done", end });
        resolve();
      };
      void reply();
    };
    process.on("message", onMessage);
  });
}
