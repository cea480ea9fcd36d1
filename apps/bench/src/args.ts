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
  /** `--help` / `-h`: print HELP and run nothing. */
  help: boolean;
}

const USAGE = "usage: bench [--quick] [--long] [--filter=a,b] [--engines=heed-js,tfjs-wasm] [--min-time=ms] [--min-runs=n] [--out=dir] [--help]";

/** What `pnpm bench --help` prints. */
export const HELP = `${USAGE}

Runs every benchmark case with every engine, each engine in its own child process, and writes
results/latest.json and latest.md (a default run also rewrites the summary in the bench README).

  --quick        every case once at small sizes, correctness only (CI); writes results/tmp/quick.*
  --long         also the long cases (memory-efficient attention at L = S = 16,384)
  --filter=a,b   only cases whose id contains one of these substrings (e.g. matmul,e2e/g2p-train)
  --engines=a,b  only these engines (heed-js, heed-wasm, heed-wasm-2t, tfjs-cpu, tfjs-wasm, ort, ort-2t, jax-wasm)
  --min-time=ms  minimum measured time per engine and case (default 1000)
  --min-runs=n   minimum timed runs per engine and case (default 5)
  --out=dir      write latest.json / latest.md there instead of results/
  --help, -h     this text`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, long: false, filter: [], engines: [], minTimeMs: 1000, minRuns: 5, outDir: undefined, worker: undefined, help: false };
  const list = (v: string) => v.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const int = (flag: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench: ${flag} needs a positive integer, got '${v}'\n${USAGE}`);
    return n;
  };
  for (const arg of argv) {
    if (arg === "--") continue;
    const [flag, value = ""] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === "--help" || flag === "-h") args.help = true;
    else if (flag === "--quick") args.quick = true;
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
