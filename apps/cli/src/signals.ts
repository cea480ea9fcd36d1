/** The signals that stop a training run, and the exit codes that tell a script which one did. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
/** SIGINT, SIGTERM, or SIGPIPE: not a signal in Node, but stdout's reader went away (`heed train | head -3`), which stops a run the same way. */
export type StopSignalName = (typeof STOP_SIGNALS)[number] | "SIGPIPE";
/** 128 + the signal number, as a shell reports a process the signal ended. */
export const SIGNAL_EXIT_CODES: Record<StopSignalName, number> = { SIGINT: 130, SIGTERM: 143, SIGPIPE: 141 };

/**
 * A stop request from SIGINT or SIGTERM. The first signal only sets `signal`: the training loop
 * sees it at its next step boundary, calls `dispose()` and then saves `last/` and exits. Once the
 * listeners are removed (there, or on the event loop's next turn, whichever comes first), a second
 * signal gets the default action and ends the process at once, even in the middle of a synchronous
 * step or save; a second signal that arrives while the listeners are still on (queued with the
 * first, or during the step in progress) is re-raised to the same effect when it is handled. That
 * is safe: checkpoints are written beside the old one and swapped in by rename, so a save cut
 * short is discarded (see `saveCheckpoint`).
 */
export class StopRequest {
  signal: StopSignalName | null = null;
  readonly #onFirst: (signal: StopSignalName) => void;
  readonly #listener = (signal: NodeJS.Signals) => this.#receive(signal as StopSignalName);

  constructor(onFirst: (signal: StopSignalName) => void = () => {}) {
    this.#onFirst = onFirst;
  }

  get stopped(): boolean {
    return this.signal !== null;
  }

  listen(): this {
    for (const s of STOP_SIGNALS) process.on(s, this.#listener);
    return this;
  }

  /**
   * Stop when stdout can no longer be written (its reader closed the pipe, EPIPE): at the next
   * step boundary, saving `last/`, as for a first signal; later write errors are ignored, so the
   * run never dies with a stack trace in the middle of a step or a save.
   */
  stopOnClosedStdout(): this {
    process.stdout.on("error", () => {
      this.signal ??= "SIGPIPE";
    });
    return this;
  }

  dispose(): void {
    for (const s of STOP_SIGNALS) process.off(s, this.#listener);
  }

  #receive(signal: StopSignalName): void {
    if (this.signal !== null) {
      this.dispose();
      process.kill(process.pid, signal); // the default action: the process ends here
      process.exit(SIGNAL_EXIT_CODES[signal]);
    }
    this.signal = signal;
    this.#onFirst(signal);
    setImmediate(() => this.dispose());
  }
}
