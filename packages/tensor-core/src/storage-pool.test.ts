import { describe, expect, it } from "vitest";
import { allocate } from "./dtype.js";
import {
  closeStepStorage, closeStorageScope, openStepStorage, openStorageScope, POOL_MIN_LENGTH, poolCapacity, pooledBytes, retireStorage, takeFloat32, type StorageScope,
} from "./storage-pool.js";
import { Tensor } from "./tensor.js";

const N = POOL_MIN_LENGTH;

function inScope(f: (scope: StorageScope) => void): void {
  const scope = openStorageScope()!;
  try {
    f(scope);
  } finally {
    closeStorageScope(scope);
  }
}

describe("storage pool", () => {
  it("rounds capacities up to eight steps per power of two", () => {
    expect([256, 257, 288, 289, 1000, 1024, 1100].map(poolCapacity)).toEqual([256, 288, 288, 320, 1024, 1024, 1152]);
  });

  it("allocates fresh zero-filled arrays of the exact length when no scope is open", () => {
    const a = takeFloat32(N + 1);
    expect(a.length).toBe(N + 1);
    expect(a.buffer.byteLength).toBe(4 * (N + 1));
    expect(a.every((v) => v === 0)).toBe(true);
  });

  it("hands released storage out again within its size class, zero-filled when asked", () => {
    inScope((scope) => {
      const a = takeFloat32(N + 1);
      expect(a.length).toBe(N + 1);
      a.fill(7);
      expect(scope.owns(a)).toBe(true);
      scope.release(a);
      scope.release(a); // twice: still handed out once
      expect(takeFloat32(2 * N).buffer).not.toBe(a.buffer); // a larger class: never a smaller buffer
      const b = takeFloat32(N + 30, false); // same class (288)
      expect(b.buffer).toBe(a.buffer);
      expect(b.length).toBe(N + 30);
      expect(b[0]).toBe(7); // not cleared: the caller writes every element
      expect(takeFloat32(N + 1).buffer).not.toBe(a.buffer);
      scope.release(b);
      const c = allocate("float32", N + 2); // allocate() always zero-fills
      expect(c.buffer).toBe(a.buffer);
      expect(c.every((v) => v === 0)).toBe(true);
      expect(scope.reused).toBe(2);
    });
  });

  it("serves a request from the smallest free buffer of a larger class when its class is empty, whatever the ratio", () => {
    inScope((scope) => {
      const big = takeFloat32(64 * N); // class 16384: a longer batch's result
      const mid = takeFloat32(4 * N); // class 1024
      scope.release(big);
      scope.release(mid);
      const a = takeFloat32(N + 30, false); // class 288: the smallest free buffer that fits is mid's
      expect(a.buffer).toBe(mid.buffer);
      expect(a.length).toBe(N + 30);
      const b = takeFloat32(N + 30, false); // then big's, 57 times larger
      expect(b.buffer).toBe(big.buffer);
      expect(b.length).toBe(N + 30);
      expect(takeFloat32(N + 30).buffer).not.toBe(big.buffer); // nothing free: a new array
      expect(scope.reused).toBe(2);
    });
  });

  it("never hands out a buffer smaller than the request, and finds buffers again after a trim", () => {
    inScope((scope) => {
      const small = takeFloat32(N);
      scope.release(small);
      expect(takeFloat32(N + 1).buffer).not.toBe(small.buffer);
    });
    inScope(() => undefined); // trims everything
    expect(pooledBytes()).toBe(0);
    inScope((scope) => {
      const sizes = [9 * N, 3 * N, 17 * N, 5 * N];
      const arrays = sizes.map((n) => takeFloat32(n));
      arrays.forEach((a) => scope.release(a));
      // each request takes the smallest free buffer that fits
      expect(takeFloat32(4 * N, false).buffer).toBe(arrays[3]!.buffer);
      expect(takeFloat32(2 * N, false).buffer).toBe(arrays[1]!.buffer);
      expect(takeFloat32(2 * N, false).buffer).toBe(arrays[0]!.buffer);
      expect(takeFloat32(16 * N, false).buffer).toBe(arrays[2]!.buffer);
    });
  });

  it("never releases storage it does not own: made outside the scope, disowned, or too small", () => {
    const outside = takeFloat32(N * 8);
    inScope((scope) => {
      scope.release(outside);
      const kept = takeFloat32(N * 8);
      scope.disown(kept);
      scope.release(kept);
      const mark = scope.mark();
      const late = takeFloat32(N * 8);
      scope.disownSince(mark);
      scope.release(late);
      const small = takeFloat32(N - 1);
      expect(scope.owns(small)).toBe(false);
      expect([outside, kept, late].map((a) => a.buffer)).not.toContain(takeFloat32(N * 8).buffer);
      expect(scope.reused).toBe(0);
      const view = takeFloat32(N * 8);
      scope.release(view.subarray(3, 9)); // a view releases the storage it shares
      expect(takeFloat32(N * 8).buffer).toBe(view.buffer);
      expect(scope.takenSince(mark)).toHaveLength(4);
    });
  });

  it("keeps what a pass released for the next pass that uses it, and drops what a pass did not use", () => {
    let buffer: ArrayBufferLike | undefined;
    inScope((scope) => {
      expect(openStorageScope()).toBeNull(); // one scope at a time
      const a = takeFloat32(N * 16);
      buffer = a.buffer;
      scope.release(a);
    });
    expect(pooledBytes()).toBeGreaterThanOrEqual(N * 16 * 4);
    expect(takeFloat32(N * 16).buffer).not.toBe(buffer); // outside a scope: never from the pool
    inScope((scope) => {
      const b = takeFloat32(N * 16 - 5);
      expect(b.buffer).toBe(buffer);
      scope.release(b);
    });
    expect(pooledBytes()).toBeGreaterThanOrEqual(N * 16 * 4);
    inScope(() => undefined); // a pass that takes nothing: the pool is emptied
    expect(pooledBytes()).toBe(0);
  });

  it("a step's retired storage is reused, and tensors over the retired array throw", () => {
    const step = openStepStorage()!;
    expect(openStepStorage()).toBeNull(); // one step at a time
    let a: Float32Array;
    try {
      a = takeFloat32(N * 3);
      a.fill(2);
      expect(step.owns(a)).toBe(true);
    } finally {
      closeStepStorage(step);
    }
    const t = new Tensor(a, [3, N]);
    const view = t.detach();
    step.retire(a);
    step.retire(a); // twice: on the free list once
    expect(() => t.data).toThrow(`Tensor (shape [3, ${N}], dtype 'float32'): this forward result's storage was reused after the training step that made it ended`);
    expect(() => view.dataSync()).toThrow(/storage was reused/);
    expect(t.size).toBe(3 * N); // the shape is still known
    inScope(() => {
      const b = takeFloat32(N * 3, false);
      expect(b.buffer).toBe(a.buffer); // the next pass takes it
      expect(new Tensor(b, [3 * N]).data).toBe(b); // a new array over the same storage reads fine
    });
  });

  it("retireStorage takes only float32 storage the pool made", () => {
    const foreign = new Float32Array(N * 2).fill(3);
    retireStorage(foreign);
    expect(Array.from(new Tensor(foreign, [2 * N]).data.slice(0, 2))).toEqual([3, 3]);
    let pooled: Float32Array;
    inScope(() => {
      pooled = takeFloat32(N * 5);
    });
    const g = new Tensor(pooled!, [5 * N]);
    retireStorage(g.data);
    expect(() => g.data).toThrow(/storage was reused/);
    inScope(() => expect(takeFloat32(N * 5).buffer).toBe(pooled.buffer));
  });
});
