/**
 * Float32 storage used again by backward passes, with no finalizer and nothing for users to
 * dispose. The autograd engine opens a scope around a backward pass; while it is open, every
 * float32 array of `POOL_MIN_LENGTH` elements or more that tensor-core allocates for a result
 * (`takeFloat32`: the kernels' outputs, `allocate`) is noted as taken in the scope. The engine
 * hands back (`release`) the arrays it knows to be dead — a gradient consumed by a rule that
 * keeps nothing, a sum it replaced, a rule's temporaries — and later allocations take them
 * before allocating anew.
 *
 * Released storage is kept for the next passes in size classes (eight per power of two; a
 * result is a view of the first `n` floats of its buffer). A request takes the smallest free
 * buffer of its class or larger, so batches of different lengths keep reusing the storage of
 * the longest batch seen so far instead of allocating anew whenever a batch is longer than the
 * last. When a scope closes, storage that pass did not use is dropped, so the pool never holds
 * more than one pass used and memory stays flat.
 *
 * A training step's forward results go back to the pool too, through a step scope
 * (`openStepStorage`, opened by @heed/autograd's `releaseActivations` around library code's
 * forward + backward): while it is open, results are taken from the pool, and when the step
 * ends the autograd engine `retire`s the storage of the forward results backward consumed.
 * Retired storage is poisoned: every tensor over that array (a result, its views, detached
 * copies) throws `retiredStorageError` when its data is read, so a tensor kept past its step
 * never silently reads storage that was reused. Outside both scopes nothing is taken from the
 * pool: results are plain new arrays, the garbage collector's.
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
/** The capacities `free` has a list for, ascending (for the smallest fitting buffer). */
let capacities: number[] = [];
const isFree = new Set<ArrayBufferLike>();
/** Buffers the pool made (only these ever go back to it). */
const pooled = new WeakSet<ArrayBufferLike>();
/** Arrays whose storage was retired: reading a tensor over one throws. */
const retired = new WeakSet<object>();
let anyRetired = false;

/** Put `buffer` on its class's free list (once). */
function pushFree(buffer: ArrayBufferLike): void {
  if (isFree.has(buffer)) return;
  isFree.add(buffer);
  const capacity = buffer.byteLength / 4;
  const list = free.get(capacity);
  if (list !== undefined) {
    list.push(buffer as ArrayBuffer);
    return;
  }
  free.set(capacity, [buffer as ArrayBuffer]);
  capacities.splice(firstAtLeast(capacity), 0, capacity);
}

/** The index of the first of `capacities` ≥ `capacity` (its length when none is). */
function firstAtLeast(capacity: number): number {
  let lo = 0;
  let hi = capacities.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (capacities[mid]! < capacity) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Hand back storage the caller knows to be dead (for @heed/autograd's `releaseActivations`:
 * gradients a trainer replaces) and poison the array: tensors over it throw when read. Only
 * a float32 array over a buffer the pool made is taken; anything else is left alone.
 */
export function retireStorage(data: object): void {
  if (!(data instanceof Float32Array) || !pooled.has(data.buffer) || retired.has(data)) return;
  retired.add(data);
  anyRetired = true;
  pushFree(data.buffer);
}

/** Whether `data`'s storage was handed back for reuse at the end of a training step (`StorageScope.retire`). */
export function isRetired(data: object): boolean {
  return anyRetired && retired.has(data);
}

/** The error a tensor over retired storage throws when it is read. */
export function retiredStorageError(shape: readonly number[], dtype: string): Error {
  return new Error(
    `Tensor (shape [${shape.join(", ")}], dtype '${dtype}'): this forward result's storage was reused after the training step ` +
      "that made it ended (releaseActivations hands back the activations backward has used); read or clone() it inside the step",
  );
}

/**
 * A free buffer of `capacity` floats, else the smallest free one of a larger class: a training
 * step's batches differ in length, so its results differ in size from the last step's, and a
 * shorter batch after a longer one then fits in the longer one's storage, whatever the ratio.
 * (Taking only up to twice the class missed whenever a batch was over twice shorter, and a
 * longer batch than every one before misses anyway: the pool settles at the longest's storage.)
 */
function popFree(capacity: number): ArrayBuffer | undefined {
  for (let i = firstAtLeast(capacity); i < capacities.length; i++) {
    const buffer = free.get(capacities[i]!)!.pop();
    if (buffer !== undefined) return buffer;
  }
  return undefined;
}

export class StorageScope {
  /** Every array taken while the scope is open and not disowned, by its buffer (views share it). */
  readonly #born = new Set<ArrayBufferLike>();
  /** Arrays in the order they were taken (for `disownSince`, `takenSince`). */
  readonly #taken: Float32Array[] = [];
  #reused = 0;

  /** `n` floats: a released buffer of `n`'s class, else a new one; zero-filled if `zeroed`. */
  take(n: number, zeroed: boolean): Float32Array {
    const capacity = poolCapacity(n);
    const buffer = popFree(capacity);
    let a: Float32Array;
    if (buffer !== undefined) {
      isFree.delete(buffer);
      this.#reused += 1;
      a = new Float32Array(buffer, 0, n);
      if (zeroed) a.fill(0);
    } else {
      const buffer = new ArrayBuffer(capacity * 4);
      pooled.add(buffer);
      a = new Float32Array(buffer, 0, n);
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
    if (this.#born.has(data.buffer)) pushFree(data.buffer);
  }

  /**
   * Release `data` (a forward result of a step that ended) and poison it: every tensor over
   * this array throws when read. The buffer itself is reused through new arrays.
   */
  retire(data: Float32Array): void {
    if (!this.#born.has(data.buffer) || retired.has(data)) return;
    retired.add(data);
    anyRetired = true;
    this.release(data);
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
    capacities = capacities.filter((c) => free.has(c));
  }
}

/** The open backward pass's scope, and the open training step's (forward results). */
let current: StorageScope | null = null;
let step: StorageScope | null = null;

/** A new float32 array of `n` elements for a result, from the pool while a scope is open. */
export function takeFloat32(n: number, zeroed = true): Float32Array {
  const scope = current ?? step;
  return scope === null || n < POOL_MIN_LENGTH ? new Float32Array(n) : scope.take(n, zeroed);
}

/**
 * Open a training step's scope (for @heed/autograd's `releaseActivations`): results are taken
 * from the pool until it closes; the engine retires the dead ones. Null when one is open.
 */
export function openStepStorage(): StorageScope | null {
  if (step !== null) return null;
  step = new StorageScope();
  return step;
}

/** Close a step's scope (no trim: what it retired waits in the pool for the next step's forward). */
export function closeStepStorage(scope: StorageScope | null): void {
  if (scope !== null && step === scope) step = null;
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
