import { Module, ModuleList } from "@heed/nn";
import { add, mul, type Tensor } from "@heed/tensor-core";

/**
 * K models of one architecture, initialised one after the other from the task's generator and
 * trained side by side on the same batches (each on its own loss, with its own dropout masks):
 * a deep ensemble (Lakshminarayanan et al. 2017) in one module and one checkpoint. `average`
 * is the mean of the members' outputs, which the tasks' `forward` returns.
 */
export abstract class Ensemble<M extends Module> extends Module {
  readonly members: ModuleList<M>;

  constructor(members: readonly M[]) {
    super();
    if (members.length === 0) throw new Error("Ensemble: expected at least one member, got 0");
    this.members = this.registerModule("members", new ModuleList([...members]));
  }

  get size(): number {
    return this.members.length;
  }

  /** The first member (what `heed attention` draws). */
  get first(): M {
    return this.members.at(0);
  }

  /** Each member's output of `run`. */
  each(run: (member: M) => Tensor): Tensor[] {
    return [...this.members].map(run);
  }

  /** The mean of the members' outputs of `run` (same shape as one output). */
  average(run: (member: M) => Tensor): Tensor {
    const outs = this.each(run);
    return outs.length === 1 ? outs[0]! : mul(outs.reduce((a, b) => add(a, b)), 1 / outs.length);
  }
}
