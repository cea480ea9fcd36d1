import { checkOptions, classTypeName, describeValue, Tensor } from "@heed/tensor-core";
import { Parameter } from "./parameter.js";
import { loadStateDictInto, type LoadStateDictOptions, type LoadStateDictResult, type StateDictInput } from "./state-dict.js";
import { summarize } from "./summary.js";

/**
 * Base class of every layer and model (torch.nn.Module). Parameters, buffers and submodules
 * are registered explicitly under their PyTorch names, which gives dotted state-dict names
 * identical to PyTorch's (`layers.0.self_attn.in_proj_weight`):
 *
 * @example
 * class Block extends Module {
 *   readonly proj: Linear;
 *   readonly scale: Parameter;
 *   constructor(E: number) {
 *     super();
 *     this.proj = this.registerModule("proj", new Linear(E, E));
 *     this.scale = this.registerParameter("scale", ones([E]));
 *   }
 *   forward(x: Tensor): Tensor {
 *     return mul(this.proj.forward(x), this.scale);
 *   }
 * }
 */
export abstract class Module {
  /**
   * The class's display name in `summary()`, `toString()` and error messages. Every Heed module sets
   * it explicitly so that it survives minification (which renames classes); a subclass that does not
   * set its own `static typeName` is shown by its `constructor.name` (which a minifier may mangle).
   */
  static readonly typeName: string = "Module";

  /** This module's display name: its class's own `static typeName`, else its `constructor.name`. */
  get typeName(): string {
    return classTypeName(this.constructor);
  }

  /** Training mode (dropout active); switched recursively by `train()` / `eval()`. */
  training = true;
  readonly #parameters = new Map<string, Parameter | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, Module | null>();

  abstract forward(...args: never[]): unknown;

  #checkName(kind: string, name: string, own: Map<string, unknown>): void {
    if (typeof name !== "string" || name === "" || name.includes(".")) {
      throw new Error(`${this.typeName}.register${kind}: invalid name ${JSON.stringify(name)} (must be a non-empty string without '.')`);
    }
    for (const [label, map] of [["parameter", this.#parameters], ["buffer", this.#buffers], ["module", this.#modules]] as const) {
      if (map !== own && map.has(name)) throw new Error(`${this.typeName}.register${kind}: '${name}' is already registered as a ${label}`);
    }
  }

  /**
   * Register a trainable tensor under `name` and return it as a `Parameter` (a tensor that is
   * already a Parameter is kept as is; any other tensor is wrapped, sharing its storage).
   * `null` registers an absent parameter (e.g. a disabled bias), skipped by every traversal.
   */
  registerParameter(name: string, tensor: Tensor): Parameter;
  registerParameter(name: string, tensor: null): null;
  registerParameter(name: string, tensor: Tensor | null): Parameter | null;
  registerParameter(name: string, tensor: Tensor | null): Parameter | null {
    this.#checkName("Parameter", name, this.#parameters);
    if (tensor !== null && !((tensor as unknown) instanceof Tensor)) throw new Error(`${this.typeName}.registerParameter: '${name}' must be a Tensor (or null), got ${describeValue(tensor)}`);
    const p = tensor === null ? null : tensor instanceof Parameter ? tensor : new Parameter(tensor);
    this.#parameters.set(name, p);
    return p;
  }

  /** Register non-trainable state (running statistics, masks). Persistent buffers are part of `stateDict()`. */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, options?: { persistent?: boolean }): T {
    const { persistent = true } = checkOptions("Module.registerBuffer", options, { persistent: true });
    this.#checkName("Buffer", name, this.#buffers);
    if (tensor !== null && !((tensor as unknown) instanceof Tensor)) throw new Error(`${this.typeName}.registerBuffer: '${name}' must be a Tensor (or null), got ${describeValue(tensor)}`);
    this.#buffers.set(name, tensor);
    if (persistent) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    return tensor;
  }

  /** Register a submodule under `name` (its parameters appear as `name.…`) and return it. */
  registerModule<M extends Module | null>(name: string, module: M): M {
    this.#checkName("Module", name, this.#modules);
    if (module !== null && !((module as unknown) instanceof Module)) {
      throw new Error(`${this.typeName}: submodule '${name}' must be a Module (or null), got ${describeValue(module)}`);
    }
    this.#modules.set(name, module);
    return module;
  }

  /** Direct submodules with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.#modules].filter((e): e is [string, Module] => e[1] !== null);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant (each once), with dotted names; this module is "". */
  namedModules(prefix = "", seen = new Set<Module>()): [string, Module][] {
    if (seen.has(this)) return [];
    seen.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, m] of this.namedChildren()) out.push(...m.namedModules(prefix === "" ? name : `${prefix}.${name}`, seen));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with dotted names, in registration order; a parameter shared by two modules is listed once. */
  namedParameters(options?: { recurse?: boolean }): [string, Parameter][] {
    const { recurse = true } = checkOptions("Module.parameters", options, { recurse: true });
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const modules: [string, Module][] = recurse ? this.namedModules() : [["", this]];
    for (const [prefix, m] of modules) {
      for (const [name, p] of m.#parameters) {
        if (p === null || seen.has(p)) continue;
        seen.add(p);
        out.push([prefix === "" ? name : `${prefix}.${name}`, p]);
      }
    }
    return out;
  }

  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(options).map(([, p]) => p);
  }

  namedBuffers(options?: { recurse?: boolean }): [string, Tensor][] {
    const { recurse = true } = checkOptions("Module.buffers", options, { recurse: true });
    const out: [string, Tensor][] = [];
    const modules: [string, Module][] = recurse ? this.namedModules() : [["", this]];
    for (const [prefix, m] of modules) {
      for (const [name, b] of m.#buffers) if (b !== null) out.push([prefix === "" ? name : `${prefix}.${name}`, b]);
    }
    return out;
  }

  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(options).map(([, b]) => b);
  }

  /** Set training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new Error(`${this.typeName}.train: training mode is expected to be a boolean (as in PyTorch), got ${describeValue(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`): dropout becomes the identity. */
  eval(): this {
    return this.train(false);
  }

  /** Call `fn` on every descendant and then on this module (torch `apply`, e.g. for custom init). */
  apply(fn: (m: Module) => void): this {
    if (typeof fn !== "function") throw new Error(`${this.typeName}.apply: expected a function of a module, got ${describeValue(fn)}`);
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order (each module's own
   * parameters, then its buffers, then its children). Values share storage with the module
   * (detached, like torch's `state_dict()`); `clone()` them to keep a snapshot.
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const visit = (m: Module, prefix: string): void => {
      for (const [name, p] of m.#parameters) if (p !== null) out.set(prefix + name, p.detach());
      for (const [name, b] of m.#buffers) if (b !== null && !m.#nonPersistent.has(name)) out.set(prefix + name, b.detach());
      for (const [name, c] of m.#modules) if (c !== null) visit(c, `${prefix}${name}.`);
    };
    visit(this, "");
    return out;
  }

  /**
   * Copy values into this module's parameters and buffers in place (dtype converted as needed).
   * Shape mismatches are always errors; with `strict` (default) so are missing and unexpected
   * keys. Everything is checked before anything is written, and one error lists every problem.
   */
  loadStateDict(dict: StateDictInput, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const targets = new Map<string, Tensor>();
    const visit = (m: Module, prefix: string): void => {
      for (const [name, p] of m.#parameters) if (p !== null) targets.set(prefix + name, p);
      for (const [name, b] of m.#buffers) if (b !== null && !m.#nonPersistent.has(name)) targets.set(prefix + name, b);
      for (const [name, c] of m.#modules) if (c !== null) visit(c, `${prefix}${name}.`);
    };
    visit(this, "");
    return loadStateDictInto(this.typeName, targets, dict, options);
  }

  /** Drop every parameter's gradient (sets `grad = null`, PyTorch's default `set_to_none=True`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Number of parameter elements (shared parameters counted once). */
  numParameters(options?: { trainableOnly?: boolean }): number {
    const { trainableOnly = false } = checkOptions("Module.numParameters", options, { trainableOnly: true });
    return this.parameters().reduce((n, p) => n + (trainableOnly && !p.requiresGrad ? 0 : p.size), 0);
  }

  /** One line describing this module's settings, shown by `toString()` and `summary()` (override in layers). */
  extraRepr(): string {
    return "";
  }

  /** A table of every module with its type, settings and parameter count (own + descendants). */
  summary(): string {
    return summarize(this);
  }

  /** PyTorch-style nested representation: `Sequential(\n  (0): Linear(in_features=2, ...)\n)`. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.typeName}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, m]) => `  (${name}): ${m.toString().split("\n").join("\n  ")}`);
    return `${head}${this.extraRepr() === "" ? "" : ","}\n${lines.join("\n")}\n)`;
  }
}

// TypeScript makes a subclass write `forward`; a JavaScript subclass may forget it. Then
// calling it fails as PyTorch's does, naming the module, instead of "forward is not a function"
// from inside a container. A subclass's own method (or a class field) shadows this one.
Object.defineProperty(Module.prototype, "forward", {
  value: function forward(this: Module): never {
    throw new Error(`${this.typeName}.forward: this module is missing the required forward method (a Module subclass must define forward)`);
  },
  writable: true,
  configurable: true,
});

/** A module mapping one tensor to one tensor (what `Sequential` chains). */
export type TensorModule = Module & { forward(x: Tensor): Tensor };
