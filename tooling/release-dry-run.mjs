#!/usr/bin/env node
// Release dry run, without touching the working tree: clone the repository (its committed
// state) into a temp directory, install offline from the pnpm store, copy in the built dist/
// folders, run `changeset version` and `pnpm publish -r --dry-run`, and check that every
// publishable package would be published with a new version, its CHANGELOG.md and LICENSE.
// Run `pnpm build` first. Usage: node tooling/release-dry-run.mjs
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } });
const publishable = JSON.parse(sh("pnpm", ["ls", "-r", "--depth", "-1", "--json"], root)).filter((p) => !p.private && p.path !== root);
const work = mkdtempSync(join(tmpdir(), "heed-release-"));
try {
  const clone = join(work, "repo");
  sh("git", ["clone", "--quiet", "--no-hardlinks", root, clone]);
  sh("pnpm", ["install", "--frozen-lockfile", "--offline", "--ignore-scripts"], clone);
  const before = new Map(publishable.map((p) => [p.name, p.version]));
  for (const p of publishable) {
    const dist = join(p.path, "dist");
    if (!existsSync(dist)) throw new Error(`${p.name}: no dist/ — run \`pnpm build\` first`);
    cpSync(dist, join(clone, relative(root, p.path), "dist"), { recursive: true });
  }
  sh("pnpm", ["changeset", "version"], clone);
  const out = sh("pnpm", ["publish", "-r", "--dry-run", "--no-git-checks", "--report-summary"], clone);
  const problems = [];
  for (const p of publishable) {
    const dir = join(clone, relative(root, p.path));
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const changelog = readFileSync(join(dir, "CHANGELOG.md"), "utf8");
    if (pkg.version === before.get(p.name)) problems.push(`${p.name}: version not bumped (${pkg.version})`);
    if (!changelog.includes(`## ${pkg.version}`)) problems.push(`${p.name}: CHANGELOG.md has no "## ${pkg.version}" section`);
    if (!out.includes(`${p.name}@${pkg.version}`)) problems.push(`${p.name}@${pkg.version} is not in the publish dry run`);
    console.log(`  ${p.name}: ${before.get(p.name)} -> ${pkg.version}`);
  }
  for (const line of out.split("\n")) if (/LICENSE|CHANGELOG\.md|\+ (@heed|heed)/.test(line)) process.stdout.write(`    ${line.trim()}\n`);
  if (problems.length) throw new Error(`release dry run:\n${problems.join("\n")}`);
  console.log(`release dry run: ${publishable.length} packages would be published`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
