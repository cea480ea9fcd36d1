import type { Tensor } from "@heed/tensor-core";
import { Module, type TensorModule } from "./module.js";

/**
 * A list of submodules registered as "0", "1", … (torch.nn.ModuleList), so their parameters
 * are named `layers.0.weight`, `layers.1.weight`, …. It has no forward: iterate it.
 *
 * @example
 * this.layers = this.registerModule("layers", new ModuleList(Array.from({ length: 2 }, () => new Linear(E, E))));
 * for (const layer of this.layers) x = layer.forward(x);
 */
export class ModuleList<M extends Module = Module> extends Module {
  static override readonly typeName: string = "ModuleList";
  readonly #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  append(module: M): this {
    this.registerModule(String(this.#items.length), module);
    this.#items.push(module);
    return this;
  }

  get length(): number {
    return this.#items.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    const m = this.#items.at(index);
    if (m === undefined) throw new Error(`ModuleList.at: index ${index} is out of range for ${this.#items.length} modules`);
    return m;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error(`ModuleList.forward: a ModuleList has no forward (it holds ${this.#items.length} modules); iterate it instead`);
  }
}

/**
 * Modules applied one after another (torch.nn.Sequential), registered as "0", "1", ….
 *
 * @example
 * const mlp = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 1));
 * const y = mlp.forward(x);   // [N, 4] -> [N, 1]
 */
export class Sequential extends Module {
  static override readonly typeName: string = "Sequential";
  readonly #items: TensorModule[] = [];

  constructor(...modules: TensorModule[]) {
    super();
    for (const m of modules) this.append(m);
  }

  append(module: TensorModule): this {
    this.registerModule(String(this.#items.length), module);
    this.#items.push(module);
    return this;
  }

  get length(): number {
    return this.#items.length;
  }

  at(index: number): TensorModule {
    const m = this.#items.at(index);
    if (m === undefined) throw new Error(`Sequential.at: index ${index} is out of range for ${this.#items.length} modules`);
    return m;
  }

  [Symbol.iterator](): Iterator<TensorModule> {
    return this.#items[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.#items) y = m.forward(y);
    return y;
  }
}
