/** Command-line options of `pnpm bench`. */

export interface BenchArgs {
  /** Every case once with small sizes, correctness only (CI). */
  quick: boolean;
  /** Also run the long cases (memory-efficient attention at L = S = 16,384). */
  long: boolean;
  /** Only cases whose id contains one of these substrings. */
  filter: string[];
  /** Only these engine ids (empty = all). */
  engines: string[];
  /** Minimum measured time per engine and case, and minimum timed runs. */
  minTimeMs: number;
  minRuns: number;
  /** Where latest.json / latest.md go (quick runs default to results/tmp). */
  outDir: string | undefined;
  /** Internal: serve one engine on one case as a child of a run (`<case>@<engine>[@quick]`). */
  worker: string | undefined;
}

const USAGE = "usage: bench [--quick] [--long] [--filter=a,b] [--engines=heed-js,tfjs-wasm] [--min-time=ms] [--min-runs=n] [--out=dir]";

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, long: false, filter: [], engines: [], minTimeMs: 1000, minRuns: 5, outDir: undefined, worker: undefined };
  const list = (v: string) => v.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const int = (flag: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: ${flag} needs a positive integer, got '${v}'\n${USAGE}`);
    return n;
  };
  for (const arg of argv) {
    if (arg === "--") continue;
    const [flag, value = ""] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === "--quick") args.quick = true;
    else if (flag === "--long") args.long = true;
    else if (flag === "--filter") args.filter = list(value);
    else if (flag === "--engines") args.engines = list(value);
    else if (flag === "--min-time") args.minTimeMs = int(flag, value);
    else if (flag === "--min-runs") args.minRuns = int(flag, value);
    else if (flag === "--out") args.outDir = value;
    else if (flag === "--worker") args.worker = value;
    else throw new Error(`bench: unknown option '${arg}'\n${USAGE}`);
  }
  return args;
}
