import { describe, expect, it } from "vitest";
import { heedCommand } from "./invocation.js";

describe("heedCommand: how to run heed again from where the user is", () => {
  it.each([
    [{ npm_lifecycle_event: "start", npm_package_name: "heed-monorepo" }, "/repo/apps/cli/dist/cli.js", "/repo", "pnpm heed"],
    [{ PATH: "/usr/bin:/usr/local/bin" }, "/usr/local/bin/heed", "/home/u", "heed"],
    [{ PATH: "/usr/bin" }, "/home/u/p/node_modules/.bin/heed", "/home/u/p", "npx heed"],
    [{}, "/repo/apps/cli/dist/cli.js", "/repo", "node apps/cli/dist/cli.js"],
    [{}, "/repo/apps/cli/dist/cli.js", "/elsewhere", "node /repo/apps/cli/dist/cli.js"],
  ])("%j, script %s, in %s: %s", (env, script, cwd, expected) => {
    expect(heedCommand(env, script, cwd)).toBe(expected);
  });
});
