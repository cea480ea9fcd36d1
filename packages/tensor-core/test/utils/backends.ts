/**
 * Run a block of tests once per registered backend (`listBackends()`: the js reference and
 * wasm), with that backend active: the op tests are conformance tests written once.
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import { getBackend, listBackends, setBackend } from "../../src/index.js";

export function forEachBackend(body: (backend: string) => void): void {
  describe.each(listBackends())("on the %s backend", (backend) => {
    let previous = "";
    beforeAll(() => {
      previous = getBackend();
      expect(setBackend(backend), `setBackend("${backend}")`).toBe(true);
    });
    afterAll(() => void setBackend(previous));
    body(backend);
  });
}
