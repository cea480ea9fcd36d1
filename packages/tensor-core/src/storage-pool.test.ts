import { describe, expect, it } from "vitest";
import { allocate } from "./dtype.js";
import { closeStorageScope, openStorageScope, POOL_MIN_LENGTH, takeFloat32 } from "./storage-pool.js";

const N = POOL_MIN_LENGTH;

describe("storage pool", () => {
  it("allocates fresh zero-filled arrays when no scope is open", () => {
    const a = takeFloat32(N);
    expect(a.length).toBe(N);
    expect(a.every((v) => v === 0)).toBe(true);
    expect(takeFloat32(N)).not.toBe(a);
  });

  it("hands a released array of the same length out again, zero-filled when asked", () => {
    const scope = openStorageScope()!;
    try {
      const a = takeFloat32(N);
      a.fill(7);
      expect(scope.owns(a)).toBe(true);
      scope.release(a);
      scope.release(a); // twice: still handed out once
      expect(takeFloat32(N + 1)).not.toBe(a); // another length
      const b = takeFloat32(N, false);
      expect(b).toBe(a);
      expect(b[0]).toBe(7); // not cleared: the caller writes every element
      expect(takeFloat32(N)).not.toBe(a);
      scope.release(b);
      const c = allocate("float32", N); // allocate() always zero-fills
      expect(c).toBe(a);
      expect(c.every((v) => v === 0)).toBe(true);
      expect(scope.reused).toBe(2);
    } finally {
      closeStorageScope(scope);
    }
  });

  it("never releases arrays it does not own: made outside the scope, disowned, or too small", () => {
    const outside = takeFloat32(N);
    const scope = openStorageScope()!;
    try {
      scope.release(outside);
      const kept = takeFloat32(N);
      scope.disown(kept);
      scope.release(kept);
      const mark = scope.mark();
      const late = takeFloat32(N);
      scope.disownSince(mark);
      scope.release(late);
      const small = takeFloat32(N - 1);
      expect(scope.owns(small)).toBe(false);
      expect([outside, kept, late]).not.toContain(takeFloat32(N));
      expect(scope.reused).toBe(0);
      const view = takeFloat32(N);
      scope.release(view.subarray(3, 9)); // a view releases the whole array it shares storage with
      expect(takeFloat32(N)).toBe(view);
      expect(scope.takenSince(mark)).toHaveLength(4);
    } finally {
      closeStorageScope(scope);
    }
  });

  it("opens one scope at a time and drops the pool when it closes", () => {
    const scope = openStorageScope()!;
    expect(openStorageScope()).toBeNull();
    const a = takeFloat32(N);
    scope.release(a);
    closeStorageScope(null);
    closeStorageScope(scope);
    expect(takeFloat32(N)).not.toBe(a);
    const again = openStorageScope();
    expect(again).not.toBeNull();
    closeStorageScope(again);
  });
});
