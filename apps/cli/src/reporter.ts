import cliProgress from "cli-progress";
import picocolors from "picocolors";
import type { StopSignalName } from "./signals.js";

/** Why a run ended: all its epochs, its time or step budget, early stopping (`--patience`), or a signal (SIGINT/SIGTERM). */
export type StopReason = "epochs" | "time" | "steps" | "patience" | "interrupt";

/** One event of a run; with --json each is printed as one JSON line (NDJSON). */
export type RunEvent =
  | { event: "start"; task: string; parameters: number; config: Record<string, unknown>; trainSize: number; testSize: number }
  | { event: "step"; epoch: number; step: number; steps: number; loss: number; examplesPerSecond: number }
  | { event: "epoch"; epoch: number; epochs: number; loss: number; testLoss: number; metrics: Record<string, number>; seconds: number; line: string }
  /** `seconds`: how long the save took */
  | { event: "checkpoint"; path: string; kind: "best" | "last"; step: number; seconds: number }
  /** `refit`: phase 2 of `--refit on` trained its epochs on this many training + validation examples, and `best/` holds its model */
  /** `alreadyFinished`: `--resume` of a run that had already ended (why, and the flag to raise to go on); nothing was trained */
  | { event: "done"; metrics: Record<string, number>; seconds: number; out: string | null; stopped: StopReason; signal: StopSignalName | null; refit?: { epochs: number; examples: number }; alreadyFinished?: { epoch: number; step: number; why: string; more: string } }
  | { event: "message"; text: string };

export interface Reporter {
  emit(e: RunEvent): void;
  close(): void;
}

/**
 * Colours only where a person reads them: stdout is a terminal and NO_COLOR is unset, or FORCE_COLOR
 * asks for them (FORCE_COLOR=0 turns them off). (picocolors alone also colours whenever `CI` is set, which would put escape codes
 * into files and pipes that scripts parse.)
 */
export function useColor(env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return isTTY && env.TERM !== "dumb";
}

const pc = picocolors.createColors(useColor());

/** NDJSON on stdout, for scripts. */
export class JsonReporter implements Reporter {
  emit(e: RunEvent): void {
    process.stdout.write(JSON.stringify(e) + "\n");
  }
  close(): void {}
}

/** Human output: a progress bar per epoch on a terminal, plain lines otherwise. */
export class HumanReporter implements Reporter {
  #bar: cliProgress.SingleBar | null = null;
  #barEpoch = -1;
  #lastPlain = 0;
  readonly #tty: boolean;

  constructor(tty = process.stderr.isTTY === true) {
    this.#tty = tty;
  }

  emit(e: RunEvent): void {
    switch (e.event) {
      case "start":
        this.#line(`${pc.bold(`heed train ${e.task}`)}: ${e.parameters.toLocaleString("en-US")} parameters, ${e.trainSize.toLocaleString("en-US")} training and ${e.testSize.toLocaleString("en-US")} test examples`);
        break;
      case "step":
        if (this.#tty) this.#progress(e);
        else if (Date.now() - this.#lastPlain > 15_000 || e.step === e.steps) {
          this.#lastPlain = Date.now();
          this.#line(`  epoch ${e.epoch} step ${e.step}/${e.steps}  loss ${e.loss.toFixed(4)}  ${Math.round(e.examplesPerSecond)} ex/s`);
        }
        break;
      case "epoch":
        this.#stopBar();
        this.#line(e.line);
        break;
      case "checkpoint":
        break;
      case "done":
        this.#stopBar();
        if (e.stopped === "interrupt") break; // the command prints where the checkpoint is and how to go on
        if (e.alreadyFinished !== undefined) {
          const f = e.alreadyFinished;
          this.#line(`already finished at epoch ${f.epoch}, step ${f.step} (${f.why}): nothing to train${e.out ? ` in ${e.out}` : ""}; to train on, resume with ${f.more}`);
          break;
        }
        this.#line(`${pc.green("done")} in ${e.seconds.toFixed(1)} s (${{ time: "time budget reached", steps: "step budget reached", patience: "no better validation score in --patience epochs", interrupt: "interrupted", epochs: "all epochs" }[e.stopped]}${e.refit ? `; refit on training + validation for ${e.refit.epochs} epochs` : ""})${e.out ? `; checkpoint in ${e.out}` : ""}`);
        break;
      case "message":
        this.#stopBar();
        this.#line(e.text);
        break;
    }
  }

  #progress(e: Extract<RunEvent, { event: "step" }>): void {
    if (this.#bar === null || this.#barEpoch !== e.epoch) {
      this.#stopBar();
      this.#bar = new cliProgress.SingleBar(
        { format: `epoch ${e.epoch} {bar} {value}/{total} | {speed} ex/s | ETA {eta_formatted} | loss {loss}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      this.#bar.start(e.steps, 0, { speed: "-", loss: "-" });
      this.#barEpoch = e.epoch;
    }
    this.#bar.update(e.step, { speed: Math.round(e.examplesPerSecond), loss: e.loss.toFixed(4) });
  }

  #stopBar(): void {
    if (this.#bar !== null) {
      this.#bar.stop();
      this.#bar = null;
    }
  }

  #line(s: string): void {
    process.stdout.write(s + "\n");
  }

  close(): void {
    this.#stopBar();
  }
}
