/**
 * Who holds each gradient's storage during one backward pass, so that storage nobody holds
 * any more goes back to tensor-core's pool (`StorageScope`) and is reused by the next
 * results of the pass — the intermediate gradients users never see. No finalizer: the engine
 * knows every holder. A gradient's storage is held by the engine's maps (pending gradients of
 * nodes, gradients of leaves) and by the gradients a rule has returned and the engine has not
 * yet summed; storage is released when the last holder lets go, if the scope owns it (taken
 * during this pass and seen only by rules that keep nothing).
 */
import type { StorageScope, Tensor } from "@heed/tensor-core";

export class Ledger {
  readonly #holds = new Map<ArrayBufferLike, number>();

  constructor(readonly scope: StorageScope | null) {}

  hold(t: Tensor): void {
    const b = t.data.buffer;
    this.#holds.set(b, (this.#holds.get(b) ?? 0) + 1);
  }

  /** One holder lets go of `t`'s storage; released to the pool when it was the last. */
  drop(t: Tensor): void {
    const b = t.data.buffer;
    const n = (this.#holds.get(b) ?? 0) - 1;
    if (n > 0) {
      this.#holds.set(b, n);
      return;
    }
    this.#holds.delete(b);
    if (this.scope?.owns(t.data) === true) this.scope.release(t.data);
  }

  /** Whether `t` may be written in place: the scope owns its storage and one holder has it. */
  sole(t: Tensor): boolean {
    return this.scope?.owns(t.data) === true && this.#holds.get(t.data.buffer) === 1;
  }

  /** Release every array taken since `mark` that nothing holds (a rule's temporaries). */
  releaseUnheldSince(mark: number): void {
    const scope = this.scope;
    if (scope === null) return;
    for (const data of scope.takenSince(mark)) {
      if (!this.#holds.has(data.buffer)) scope.release(data);
    }
  }

  /** `t` was handed to code that may keep it: never release or overwrite its storage. */
  disown(t: Tensor): void {
    this.scope?.disown(t.data);
  }
}
