/**
 * Float32 storage used again by backward passes, with no finalizer and nothing for users to
 * dispose. The autograd engine opens a scope around a backward pass; while it is open, every
 * float32 array of `POOL_MIN_LENGTH` elements or more that tensor-core allocates for a result
 * (`takeFloat32`: the kernels' outputs, `allocate`) is noted as taken in the scope. The engine
 * hands back (`release`) the arrays it knows to be dead — a gradient consumed by a rule that
 * keeps nothing, a sum it replaced, a rule's temporaries — and later allocations take them
 * before allocating anew.
 *
 * Released storage is kept for the next passes in size classes (eight per power of two, so a
 * batch a few rows longer than the last still finds its arrays; a result is a view of the
 * first `n` floats of its class's buffer). When a scope closes, storage that pass did not use
 * is dropped, so the pool never holds more than one pass used and memory stays flat. Outside a
 * scope nothing is taken from the pool: forward results are plain new arrays, the garbage
 * collector's.
 */

/** Smaller arrays are not pooled (V8 keeps typed arrays of ≤ 64 bytes on its heap; small ones cost little). */
export const POOL_MIN_LENGTH = 256;

/** The pooled capacity for `n` floats: `n` rounded up to the next of eight steps per power of two. */
export function poolCapacity(n: number): number {
  const step = 2 ** Math.max(0, Math.floor(Math.log2(n)) - 3);
  return Math.ceil(n / step) * step;
}

/** Free buffers by capacity (floats), kept across passes. */
const free = new Map<number, ArrayBuffer[]>();
const isFree = new Set<ArrayBufferLike>();

export class StorageScope {
  /** Every array taken while the scope is open and not disowned, by its buffer (views share it). */
  readonly #born = new Set<ArrayBufferLike>();
  /** Arrays in the order they were taken (for `disownSince`, `takenSince`). */
  readonly #taken: Float32Array[] = [];
  #reused = 0;

  /** `n` floats: a released buffer of `n`'s class, else a new one; zero-filled if `zeroed`. */
  take(n: number, zeroed: boolean): Float32Array {
    const capacity = poolCapacity(n);
    const buffer = free.get(capacity)?.pop();
    let a: Float32Array;
    if (buffer !== undefined) {
      isFree.delete(buffer);
      this.#reused += 1;
      a = new Float32Array(buffer, 0, n);
      if (zeroed) a.fill(0);
    } else {
      a = new Float32Array(new ArrayBuffer(capacity * 4), 0, n);
    }
    this.#born.add(a.buffer);
    this.#taken.push(a);
    return a;
  }

  /** Whether `data`'s storage was taken in this scope and not disowned (only then may it be released). */
  owns(data: { buffer: ArrayBufferLike }): boolean {
    return this.#born.has(data.buffer);
  }

  /** The caller knows nothing holds `data`'s storage any more: later allocations may take it. */
  release(data: { buffer: ArrayBufferLike }): void {
    const buffer = data.buffer;
    if (!this.#born.has(buffer) || isFree.has(buffer)) return;
    isFree.add(buffer);
    const capacity = buffer.byteLength / 4;
    const list = free.get(capacity);
    if (list === undefined) free.set(capacity, [buffer as ArrayBuffer]);
    else list.push(buffer as ArrayBuffer);
  }

  /** Storage that code the engine cannot see may keep (e.g. a user's custom backward): never released. */
  disown(data: { buffer: ArrayBufferLike }): void {
    this.#born.delete(data.buffer);
  }

  /** A position in the order of takes, for `disownSince` and `takenSince`. */
  mark(): number {
    return this.#taken.length;
  }

  /** Disown every array taken since `mark`. */
  disownSince(mark: number): void {
    for (let i = mark; i < this.#taken.length; i++) this.#born.delete(this.#taken[i]!.buffer);
  }

  /** The arrays taken since `mark` (owned or not). */
  takenSince(mark: number): readonly Float32Array[] {
    return this.#taken.slice(mark);
  }

  /** How many takes were served from released storage (for tests and profiles). */
  get reused(): number {
    return this.#reused;
  }

  /** Drop free storage this pass did not take: the pool keeps at most what one pass used. */
  trim(): void {
    const used = new Set<ArrayBufferLike>(this.#taken.map((a) => a.buffer));
    for (const [capacity, list] of free) {
      const kept = list.filter((b) => used.has(b));
      for (const b of list) if (!used.has(b)) isFree.delete(b);
      if (kept.length === 0) free.delete(capacity);
      else free.set(capacity, kept);
    }
  }
}

let current: StorageScope | null = null;

/** A new float32 array of `n` elements for a result, from the pool while a scope is open. */
export function takeFloat32(n: number, zeroed = true): Float32Array {
  return current === null || n < POOL_MIN_LENGTH ? new Float32Array(n) : current.take(n, zeroed);
}

/** Open a scope (for the autograd engine); null when one is already open (a nested pass uses none). */
export function openStorageScope(): StorageScope | null {
  if (current !== null) return null;
  current = new StorageScope();
  return current;
}

/** Close `scope` and trim the pool to what its pass used (no-op for null or a scope that is not the open one). */
export function closeStorageScope(scope: StorageScope | null): void {
  if (scope === null || current !== scope) return;
  current = null;
  scope.trim();
}

/** Bytes of free storage the pool keeps between passes (for tests and profiles). */
export function pooledBytes(): number {
  let bytes = 0;
  for (const list of free.values()) for (const b of list) bytes += b.byteLength;
  return bytes;
}
