#!/usr/bin/env node
// `pnpm test|typecheck|lint|build` inside ONE package directory works from a fresh clone.
// Each package script is `node ../../tooling/task.mjs <task> "<command>"`:
// - under turbo (the root `pnpm test` etc., or the hand-over below), turbo has already run what
//   the task depends on (tensor-core's generated wasm module, the builds a test needs), so run
//   <command> with any extra arguments;
// - alone (`cd packages/autograd && pnpm test`), hand over to `turbo run <task> --filter=<this
//   package>`, which first builds what the task needs below it, then comes back here.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [task, command, ...args] = process.argv.slice(2);
if (!task || !command) {
  console.error('usage: node tooling/task.mjs <turbo task> "<command>" [args...]');
  process.exit(2);
}
const quote = (a) => `'${a.replaceAll("'", `'\\''`)}'`;
const line = process.env.TURBO_HASH
  ? [command, ...args.map(quote)].join(" ")
  : ["turbo", "run", task, quote(`--filter=${JSON.parse(readFileSync("package.json", "utf8")).name}`), "--output-logs=new-only", ...(args.length ? ["--", ...args.map(quote)] : [])].join(" ");
const r = spawnSync(line, { stdio: "inherit", shell: true });
process.exit(r.status ?? 1);
