import { describe, expect, it } from "vitest";
import { childGlibcTunables, KEEP_HEAP_GLIBC_TUNABLES } from "./parent.js";

describe("childGlibcTunables", () => {
  it("is glibc's defaults unless the caller set GLIBC_TUNABLES (children inherit the environment)", () => {
    expect(childGlibcTunables({ PATH: "/bin" })).toBe("");
    expect(childGlibcTunables({ GLIBC_TUNABLES: KEEP_HEAP_GLIBC_TUNABLES })).toBe(KEEP_HEAP_GLIBC_TUNABLES);
  });
});
