// Checks of one packed tarball (as `pnpm pack` writes it, publishConfig applied) and the
// installed-size measure of the pack check.
import { execFileSync } from "node:child_process";
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Paths inside the tarball, without the leading "package/". */
export function listTarball(file) {
  return execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).trim().split("\n").map((p) => p.replace(/^package\//, ""));
}

const read = (file, path) => execFileSync("tar", ["-xzOf", file, `package/${path}`], { encoding: "utf8", maxBuffer: 1 << 26 });

/** Every string target of an exports map (conditions flattened). */
function targets(exports) {
  if (typeof exports === "string") return [exports];
  return Object.values(exports ?? {}).flatMap(targets);
}

const strip = (e) => (typeof e === "string" ? e : Object.fromEntries(Object.entries(e).filter(([k]) => k !== "@heed/source").map(([k, v]) => [k, strip(v)])));

/**
 * Problems with a packed package: missing files, metadata, custom conditions, unpacked targets,
 * and a published exports map that is not the workspace map minus `@heed/source`.
 */
export function checkTarball(file, paths, license, workspaceExports) {
  const problems = [];
  const have = new Set(paths);
  for (const f of ["package.json", "README.md", "LICENSE", "CHANGELOG.md"]) if (!have.has(f)) problems.push(`${f} is not in the tarball`);
  if (have.has("LICENSE") && read(file, "LICENSE") !== license) problems.push("LICENSE differs from the repository's LICENSE");
  const text = read(file, "package.json");
  const pkg = JSON.parse(text);
  if (text.includes("workspace:")) problems.push("a workspace: range was not replaced");
  if (text.includes("@heed/source")) problems.push("the @heed/source condition (src/ is not packed) is still in the manifest");
  if (JSON.stringify(strip(workspaceExports)) !== JSON.stringify(pkg.exports)) problems.push("publishConfig.exports is not the workspace exports map without @heed/source");
  if (pkg.license !== "MIT") problems.push(`license is ${pkg.license}`);
  if (!pkg.repository?.url || !pkg.repository?.directory) problems.push("repository.url / repository.directory missing");
  for (const k of ["homepage", "bugs", "keywords", "engines"]) if (!pkg[k]) problems.push(`${k} missing`);
  if (pkg.engines?.node !== ">=20.19.0") problems.push(`engines.node is ${pkg.engines?.node}`);
  // tensor-core's kernels are separate files next to its JavaScript, loaded by URL
  if (pkg.name === "@heed/tensor-core") {
    for (const v of ["simd", "relaxed", "simd-mt", "relaxed-mt"]) if (!have.has(`dist/kernels-${v}.wasm`)) problems.push(`dist/kernels-${v}.wasm is not in the tarball`);
  }
  for (const t of [...targets(pkg.exports), pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin ?? {})]) {
    if (t && !have.has(t.replace(/^\.\//, ""))) problems.push(`${t} (exports/main/types/bin) is not in the tarball`);
  }
  return problems;
}

/** Bytes of all files under dir (apparent sizes, symlinks not followed): the installed size. */
export function installedBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    total += st.isDirectory() ? installedBytes(p) : st.size;
  }
  return total;
}
