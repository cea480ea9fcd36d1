// Loaded by every package's vitest run (setupFiles in index.js): the shared matchers.
import { expect } from "vitest";
import { toBeAllclose } from "./allclose.js";

expect.extend({ toBeAllclose });
