/**
 * Float32 storage used again within one backward pass, with no finalizer and nothing for
 * users to dispose. The autograd engine opens a scope around a backward pass; while it is
 * open, every float32 array of `MIN_LENGTH` elements or more that tensor-core allocates for a
 * result (`takeFloat32`: the kernels' outputs, `allocate`) is noted as born in the scope.
 * The engine hands back (`release`) the arrays it knows to be dead — a gradient consumed by a
 * rule that keeps nothing, a sum it replaced — and later allocations of the same length take
 * them before allocating anew. Closing the scope drops the pool, so between passes memory is
 * the garbage collector's again and stays flat.
 */

/** Smaller arrays are not pooled (V8 keeps typed arrays of ≤ 64 bytes on its heap; small ones cost little). */
export const POOL_MIN_LENGTH = 256;

export class StorageScope {
  /** Every array taken while the scope is open, by its buffer (views share the buffer). */
  readonly #born = new Map<ArrayBufferLike, Float32Array>();
  /** Buffers in the order they were taken (for `disownSince`). */
  readonly #taken: Float32Array[] = [];
  readonly #free = new Map<number, Float32Array[]>();
  readonly #isFree = new Set<ArrayBufferLike>();
  #reused = 0;

  /** An array of `n` floats: a released one of that length, else a new one; zero-filled if `zeroed`. */
  take(n: number, zeroed: boolean): Float32Array {
    const list = this.#free.get(n);
    const reused = list?.pop();
    let a: Float32Array;
    if (reused !== undefined) {
      this.#isFree.delete(reused.buffer);
      this.#reused += 1;
      if (zeroed) reused.fill(0);
      a = reused;
    } else {
      a = new Float32Array(n);
    }
    this.#born.set(a.buffer, a);
    this.#taken.push(a);
    return a;
  }

  /** Whether `data`'s storage was taken in this scope and not disowned (only then may it be released). */
  owns(data: ArrayLike<number> & { buffer: ArrayBufferLike }): boolean {
    return this.#born.has(data.buffer);
  }

  /** The caller knows nothing holds `data`'s storage any more: later allocations may take it. */
  release(data: ArrayLike<number> & { buffer: ArrayBufferLike }): void {
    const a = this.#born.get(data.buffer);
    if (a === undefined || this.#isFree.has(a.buffer)) return;
    this.#isFree.add(a.buffer);
    const list = this.#free.get(a.length);
    if (list === undefined) this.#free.set(a.length, [a]);
    else list.push(a);
  }

  /** Storage that code the engine cannot see may keep (e.g. a user's custom backward): never released. */
  disown(data: ArrayLike<number> & { buffer: ArrayBufferLike }): void {
    this.#born.delete(data.buffer);
  }

  /** A position in the order of takes, for `disownSince`. */
  mark(): number {
    return this.#taken.length;
  }

  /** Disown every array taken since `mark`. */
  disownSince(mark: number): void {
    for (let i = mark; i < this.#taken.length; i++) this.#born.delete(this.#taken[i]!.buffer);
  }

  /** The arrays taken since `mark` (still owned or not). */
  takenSince(mark: number): readonly Float32Array[] {
    return this.#taken.slice(mark);
  }

  /** How many takes were served from released arrays (for tests and profiles). */
  get reused(): number {
    return this.#reused;
  }
}

let current: StorageScope | null = null;

/** A new float32 array of `n` elements for a result, from the open scope's pool if there is one. */
export function takeFloat32(n: number, zeroed = true): Float32Array {
  return current === null || n < POOL_MIN_LENGTH ? new Float32Array(n) : current.take(n, zeroed);
}

/** Open a scope (for the autograd engine); null when one is already open (a nested pass uses none). */
export function openStorageScope(): StorageScope | null {
  if (current !== null) return null;
  current = new StorageScope();
  return current;
}

/** Close `scope` (no-op for null or a scope that is not the open one). */
export function closeStorageScope(scope: StorageScope | null): void {
  if (scope !== null && current === scope) current = null;
}
