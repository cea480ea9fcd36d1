#!/usr/bin/env node
// Pack every publishable package as `pnpm publish` would, install the tarballs with npm into a
// fresh project outside the workspace, and use them the way a new user would:
//   ESM import and CommonJS require of every entry point (same export names as the ESM build),
//   one instance of each package's state when import and require are mixed,
//   the root README's ten-line example, a TypeScript CommonJS and ESM type-check,
//   and @heed/data with its dependencies ≤ 2 MB installed.
// Usage: node tooling/pack-check/index.mjs [--keep] (builds first with turbo; prints every check).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkTarball, installedBytes, listTarball } from "./tarball.mjs";
import { mixingScript, entryScripts, tsProjects } from "./scripts.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const keep = process.argv.includes("--keep");
const started = Date.now();
const DATA_LIMIT = 2 * 1024 * 1024;
let checks = 0;
const ok = (what) => {
  checks++;
  console.log(`  ok  ${what}`);
};
const phase = (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`);
const sh = (cmd, args, cwd, env = {}) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });

/** Publishable workspace packages (not private), in dependency order. */
const publishable = JSON.parse(sh("pnpm", ["ls", "-r", "--depth", "-1", "--json"], root))
  .filter((p) => !p.private && p.path !== root)
  .map((p) => ({ name: p.name, dir: p.path, manifest: JSON.parse(readFileSync(join(p.path, "package.json"), "utf8")) }));
console.log(`pack-check: ${publishable.map((p) => p.name).join(", ")}`);

phase("build (turbo)");
sh("pnpm", ["turbo", "run", "build", ...publishable.map((p) => `--filter=${p.name}`), "--output-logs=errors-only"], root, { TURBO_TELEMETRY_DISABLED: "1" });

const work = mkdtempSync(join(tmpdir(), "heed-pack-check-"));
try {
  phase(`pack into ${work}`);
  const license = readFileSync(join(root, "LICENSE"), "utf8");
  const tarballs = new Map();
  for (const p of publishable) {
    const out = sh("pnpm", ["pack", "--pack-destination", work, "--json"], p.dir);
    const file = JSON.parse(out).filename;
    tarballs.set(p.name, file);
    const problems = checkTarball(file, listTarball(file), license, p.manifest.exports);
    if (problems.length) throw new Error(`${p.name}: ${problems.join("; ")}`);
    ok(`${p.name}: LICENSE (root copy), README.md, CHANGELOG.md; metadata; no workspace:/@heed/source (exports = workspace map without it); every exports target packed`);
  }

  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "heed-pack-check-app", private: true, type: "commonjs" }, null, 2));
  phase("npm install the tarballs (+ typescript 6.0.3, @types/node 20) in a fresh project");
  sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs.values(), "typescript@6.0.3", "@types/node@20.19.43"], app);
  ok(`npm installed ${tarballs.size} tarballs outside the workspace`);

  for (const { entry, esm, cjs } of entryScripts(publishable)) {
    writeFileSync(join(app, "probe.mjs"), esm);
    writeFileSync(join(app, "probe.cjs"), cjs);
    const viaImport = JSON.parse(sh("node", ["probe.mjs"], app));
    const viaRequire = JSON.parse(sh("node", ["probe.cjs"], app));
    const missing = viaImport.browser.filter((k) => !viaImport.node.includes(k) || !viaRequire.includes(k));
    if (viaImport.node.length === 0 || missing.length) throw new Error(`${entry}: exports missing under Node import/require: ${missing.join(", ") || "(none exported)"}`);
    ok(`${entry}: import (${viaImport.node.length} names) and require (${viaRequire.length}) give every name of the ESM build`);
  }

  // browser users: one data set's entry bundles that data set only (and nothing Node-only)
  const esbuild = createRequire(realpathSync(join(root, "node_modules/tsup/package.json")))("esbuild"); // tsup's
  const marks = { cmudict: "splitCmudict", emoji: "emojiPairsFromRecords", timeseries: "co2-concentration.csv", digits: "digitsFromArrays" };
  for (const [sub, mark] of Object.entries(marks)) {
    const { outputFiles } = await esbuild.build({
      stdin: { contents: `export * from "@heed/datasets/${sub}";`, resolveDir: app }, bundle: true, write: false, platform: "browser", format: "esm", logLevel: "silent",
    });
    const code = outputFiles[0].text;
    const others = Object.entries(marks).filter(([k, m]) => k !== sub && code.includes(m)).map(([k]) => k);
    if (!code.includes(mark) || others.length) throw new Error(`@heed/datasets/${sub}: a browser bundle holds ${others.join(", ") || `no ${mark}`}`);
    ok(`@heed/datasets/${sub} bundles for the browser (esbuild, platform browser) without the other data sets (${(code.length / 1024).toFixed(0)} KB)`);
  }

  phase("mixed import + require");
  writeFileSync(join(app, "mix.cjs"), mixingScript);
  for (const line of sh("node", ["mix.cjs"], app).trim().split("\n")) ok(`mixed import + require: ${line}`);

  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## A first model")))?.[1];
  if (!example) throw new Error("root README: no ```ts block after '## A first model'");
  writeFileSync(join(app, "readme.mjs"), example);
  const losses = sh("node", ["readme.mjs"], app).trim().split("\n").map((l) => Number(l.split(" ")[1]));
  if (losses.length !== 4 || !losses.every(Number.isFinite) || !(losses[3] < losses[0])) throw new Error(`root README example: unexpected output ${losses.join(", ")}`);
  ok(`root README ten-line example runs from the tarballs (loss ${losses[0]} -> ${losses[3]})`);

  phase("TypeScript projects");
  for (const { dir, files, label } of tsProjects(publishable)) {
    const d = join(app, dir);
    execFileSync("mkdir", ["-p", d]);
    for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
    try {
      sh("node", [join(app, "node_modules/typescript/bin/tsc"), "-p", d], app);
    } catch (e) {
      throw new Error(`${label}: tsc failed\n${e.stdout}${e.stderr}`);
    }
    ok(`${label} type-checks against every entry point`);
  }

  phase("@heed/data alone");
  const light = join(work, "light");
  execFileSync("mkdir", ["-p", light]);
  writeFileSync(join(light, "package.json"), JSON.stringify({ name: "heed-light", private: true }));
  sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarballs.get("@heed/data"), tarballs.get("@heed/tensor-core")], light);
  const bytes = installedBytes(join(light, "node_modules"));
  if (bytes > DATA_LIMIT) throw new Error(`@heed/data with its dependencies installs ${(bytes / 1048576).toFixed(2)} MB > 2 MB`);
  ok(`@heed/data with its dependencies: ${(bytes / 1048576).toFixed(2)} MB installed (limit 2 MB)`);

  console.log(`pack-check: ${checks} checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
