import { describe, expect, it } from "vitest";
import { CHILD_GLIBC_TUNABLES, childEnv } from "./parent.js";

describe("childEnv", () => {
  it("gives every child the heap-keeping glibc settings", () => {
    expect(childEnv({ PATH: "/bin" })).toEqual({ PATH: "/bin", GLIBC_TUNABLES: CHILD_GLIBC_TUNABLES });
  });
  it("keeps GLIBC_TUNABLES the user set", () => {
    expect(childEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=1" }).GLIBC_TUNABLES).toBe("glibc.malloc.arena_max=1");
    expect(childEnv({ GLIBC_TUNABLES: "" }).GLIBC_TUNABLES).toBe(""); // `GLIBC_TUNABLES= pnpm bench`: glibc's defaults
  });
});
