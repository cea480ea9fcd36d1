import { basename, delimiter, dirname, relative } from "node:path";

/**
 * How to run `heed` again from where the user is, for the hints the CLI prints: `pnpm heed`
 * inside this repository (after `pnpm start` the binary is not on the PATH), `heed` when the
 * installed binary is on the PATH, `npx heed` when it is installed but not on the PATH, and
 * `node <path>/cli.js` otherwise.
 */
export function heedCommand(env: NodeJS.ProcessEnv = process.env, script: string = process.argv[1] ?? "", cwd: string = process.cwd()): string {
  if (env.npm_lifecycle_event !== undefined && env.npm_package_name === "heed-monorepo") return "pnpm heed";
  if (basename(script) === "heed") {
    const onPath = (env.PATH ?? "").split(delimiter).includes(dirname(script));
    return onPath ? "heed" : "npx heed";
  }
  const rel = relative(cwd, script);
  return `node ${rel === "" || rel.startsWith("..") ? script : rel}`;
}
