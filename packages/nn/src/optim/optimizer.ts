import { checkOptions, describeValue, formatShape, isFloat, Tensor, type OptionKeys } from "@heed/tensor-core";

/** Storage of a float parameter (optimizer state uses the same precision as its parameter). */
export type FloatArray = Float32Array | Float64Array;

/** A group of parameters sharing hyperparameters (torch's `param_groups` entries). */
export type ParamGroup<O> = { params: Tensor[] } & O;

/** What the constructor takes: tensors, or groups `{ params, ...overrides }`. */
export type ParamsInput<O> = Iterable<Tensor> | Iterable<{ params: Iterable<Tensor> } & Partial<O>>;

/** Per-parameter state: step counts (numbers) and buffers (tensors), with PyTorch's names. */
export type ParamState = Record<string, number | Tensor>;

/** One parameter of a step: its storage, its gradient's and its state. */
export interface ParamUpdate {
  param: FloatArray;
  grad: FloatArray;
  state: ParamState;
}

/**
 * A serialisable snapshot of an optimizer (like torch's `optimizer.state_dict()`): `state`
 * keyed by the parameter's position across all groups, and each group's hyperparameters
 * with `params` as those positions. `packOptimizerState` turns it into safetensors + JSON.
 */
export interface OptimizerStateDict {
  state: Record<string, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/** Base class of SGD, Adam and AdamW: parameter groups, settable learning rate, state save/restore. */
export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state, created lazily on the first step that sees a gradient. */
  protected readonly state = new Map<Tensor, ParamState>();
  readonly #name: string;

  readonly #defaults: O;
  /** The optimizer's own defaults (before the constructor's options): the kind of each hyperparameter. */
  readonly #kinds: O;
  readonly #keys: OptionKeys<O>;

  /**
   * `options` are checked against `keys` (unknown keys throw, `undefined` entries mean the
   * default) and laid over `defaults`; parameter groups are checked the same way.
   */
  /** The name errors show: `"Adam"`, `"AdamW"`, `"SGD"` (given by the subclass, so minifiers cannot rename it). */
  protected get optimizerName(): string {
    return this.#name;
  }

  protected constructor(name: string, params: ParamsInput<O>, defaults: O, options: Partial<O> | undefined, keys: OptionKeys<O>) {
    this.#name = name;
    this.#keys = keys;
    this.#kinds = defaults;
    this.#defaults = { ...defaults, ...checkOptions(name, options, keys) };
    if (params === null || typeof params !== "object" || typeof (params as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") {
      const hint = typeof (params as { parameters?: unknown } | null)?.parameters === "function" ? " — did you mean model.parameters()?" : "";
      throw new Error(`${name}: expected 'params' as a list of tensors or of parameter groups { params, ...options }, got ${describeValue(params)}${hint}`);
    }
    const list = [...params] as (Tensor | ({ params: Iterable<Tensor> } & Partial<O>))[];
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list`);
    this.paramGroups = [];
    if (list.every((p) => p instanceof Tensor)) {
      this.#add(list, {});
      return;
    }
    list.forEach((g, gi) => {
      if (g instanceof Tensor) throw new Error(`${name}: mix of tensors and parameter groups (entry ${gi}); pass one or the other`);
      if (typeof g !== "object" || g === null || Array.isArray(g)) {
        throw new Error(`${name}: expected 'params' as a list of tensors or of parameter groups { params, ...options }, got ${describeValue(g)} at entry ${gi}`);
      }
      this.addParamGroup(g);
    });
  }

  /** Add a group of parameters (torch `add_param_group`); unspecified hyperparameters take the defaults. */
  addParamGroup(group: { params: Iterable<Tensor> } & Partial<O>): void {
    const where = `${this.#name} parameter group ${this.paramGroups.length}`;
    const { params, ...overrides } = checkOptions(where, group, { ...this.#keys, params: true });
    if (params === undefined || typeof (params as Partial<Iterable<Tensor>>)[Symbol.iterator] !== "function") throw new Error(`${where}: 'params' must be a list of tensors`);
    this.#add(params, overrides as unknown as Partial<O>);
  }

  #add(list: Iterable<Tensor>, overrides: Partial<O>): void {
    const name = this.#name;
    const gi = this.paramGroups.length;
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    const params = [...list];
    for (const p of params) {
      if (!(p instanceof Tensor) || !isFloat(p.dtype)) throw new Error(`${name}: can only optimize float tensors (group ${gi} has ${p instanceof Tensor ? `dtype '${p.dtype}' ${formatShape(p.shape)}` : typeof p})`);
      if (!p.isLeaf) throw new Error(`${name}: can't optimize a non-leaf tensor (shape ${formatShape(p.shape)})`);
      if (seen.has(p)) throw new Error(`${name}: a parameter of shape ${formatShape(p.shape)} appears more than once`);
      seen.add(p);
    }
    const full = { ...structuredClone(this.#defaults), ...overrides, params } as ParamGroup<O>; // overrides.params is replaced by the array
    this.#checkKinds(full, name);
    this.validate(full);
    this.paramGroups.push(full);
  }

  /** Check a group's hyperparameters (errors name the optimizer and the value). */
  protected abstract validate(group: ParamGroup<O>): void;

  /**
   * The kinds of a group's hyperparameters: a boolean option (amsgrad, maximize, nesterov)
   * must be a boolean and a number option a number, so `{ amsgrad: "yes" }` or `{ lr: "0.1" }`
   * is an error rather than a silently truthy flag or a string in the update.
   */
  #checkKinds(group: ParamGroup<O>, where: string): void {
    for (const [key, fallback] of Object.entries(this.#kinds)) {
      const value = (group as Record<string, unknown>)[key];
      const ok = typeof fallback === "boolean" ? typeof value === "boolean" : typeof fallback === "number" ? typeof value === "number" : true;
      if (!ok) throw new Error(`${where}: '${key}' must be a ${typeof fallback}, got ${describeValue(value)}`);
    }
  }

  /** Update one parameter from its gradient (`grad` already has the parameter's size). */
  protected abstract update(param: FloatArray, grad: FloatArray, state: ParamState, group: ParamGroup<O>): void;

  /** Fresh state (e.g. zeroed moment buffers of its size) for parameter `param`. */
  protected abstract initState(param: Tensor): ParamState;

  /**
   * Every per-parameter state name this optimizer keeps (PyTorch's), including optional ones;
   * `loadStateDict` refuses other names. `null` (a subclass that does not say) checks nothing.
   */
  protected readonly stateKeys: readonly string[] | null = null;

  /**
   * Update a group's parameters that have a gradient: by default `update` on each in turn; an
   * optimizer may override it to update them together (Adam: one multi-tensor kernel call).
   */
  protected updateGroup(items: readonly ParamUpdate[], group: ParamGroup<O>): void {
    for (const { param, grad, state } of items) this.update(param, grad, state, group);
  }

  /**
   * One optimization step over every parameter that has a gradient (others are skipped). The
   * groups' hyperparameters are checked first, since `paramGroups` can be edited directly
   * (`opt.paramGroups[0].lr = NaN` would otherwise make every parameter NaN).
   */
  step(): void {
    this.paramGroups.forEach((group, gi) => {
      try {
        this.#checkKinds(group, this.#name);
        this.validate(group);
      } catch (e) {
        const reason = (e as Error).message.replace(new RegExp(`^${this.#name}: `), "");
        throw new Error(`${this.#name}.step: parameter group ${gi}: ${reason}`, { cause: e });
      }
    });
    for (const group of this.paramGroups) {
      const items: ParamUpdate[] = [];
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        if (g.size !== p.size) throw new Error(`${this.#name}.step: gradient shape ${formatShape(g.shape)} does not match parameter shape ${formatShape(p.shape)}`);
        let state = this.state.get(p);
        if (state === undefined) {
          state = this.initState(p);
          this.state.set(p, state);
        }
        items.push({ param: p.data as FloatArray, grad: g.data as FloatArray, state });
      }
      if (items.length > 0) this.updateGroup(items, group);
    }
  }

  /** Drop every parameter's gradient (`grad = null`, torch's default `set_to_none=True`). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /** The learning rate of the first group. */
  get lr(): number {
    return this.paramGroups[0]!.lr;
  }

  /** Set the learning rate of every group. */
  set lr(value: number) {
    if (!finiteNonNegative(value)) throw new Error(`${this.#name}: invalid learning rate ${describeValue(value)} (must be a finite number >= 0)`);
    for (const g of this.paramGroups) g.lr = value;
  }

  /** A snapshot of hyperparameters and state; tensors are copies, so later steps do not change it. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      return { ...structuredClone(hyper), params: params.map((p) => { index.set(p, index.size); return index.size - 1; }) };
    });
    const state: Record<string, ParamState> = {};
    for (const [p, s] of this.state) {
      state[String(index.get(p))] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v]));
    }
    return { state, paramGroups };
  }

  /**
   * Restore a `stateDict()` snapshot: hyperparameters (lr, betas, …) and per-parameter state are
   * copied, so the next `step()` continues exactly where the saved optimizer left off. The
   * groups must have the same sizes and parameter shapes as this optimizer's.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const name = `${this.#name}.loadStateDict`;
    const shaped = typeof dict === "object" && dict !== null && Array.isArray(dict.paramGroups) && typeof dict.state === "object" && dict.state !== null
      && dict.paramGroups.every((g) => typeof g === "object" && g !== null && Array.isArray(g.params));
    if (!shaped) throw new Error(`${name}: expected an optimizer state dict { state, paramGroups: [{ params, ... }] } (from stateDict() or unpackOptimizerState), got ${describeValue(dict)}`);
    if (dict.paramGroups.length !== this.paramGroups.length) throw new Error(`${name}: checkpoint has ${dict.paramGroups.length} parameter groups, optimizer has ${this.paramGroups.length}`);
    const params = this.paramGroups.flatMap((g) => g.params);
    dict.paramGroups.forEach((saved, gi) => {
      const own = this.paramGroups[gi]!;
      if (saved.params.length !== own.params.length) throw new Error(`${name}: group ${gi} has ${saved.params.length} parameters in the checkpoint, ${own.params.length} in the optimizer`);
    });
    // Another optimizer's snapshot (SGD's into Adam) would otherwise load its hyperparameters
    // and buffers as extra keys and step on without them.
    const other = " (a state dict of another optimizer?)";
    dict.paramGroups.forEach((saved, gi) => {
      const unknown = Object.keys(saved).filter((k) => k !== "params" && !(k in this.#kinds));
      if (unknown.length > 0) throw new Error(`${name}: parameter group ${gi} has ${unknown.map((k) => `'${k}'`).join(", ")}, which ${this.#name} does not have (expected ${Object.keys(this.#kinds).join(", ")})${other}`);
    });
    const restored = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(dict.state)) {
      const p = params[Number(key)];
      if (p === undefined) throw new Error(`${name}: state for parameter ${key}, but the optimizer has ${params.length} parameters`);
      const keys = this.stateKeys;
      const foreign = keys === null ? [] : Object.keys(s).filter((k) => !keys.includes(k));
      if (foreign.length > 0) throw new Error(`${name}: state ${foreign.map((k) => `'${k}'`).join(", ")} of parameter ${key} is not ${this.#name} state (expected ${keys!.join(", ")})${other}`);
      const fresh = this.initState(p);
      for (const [k, v] of Object.entries(s)) {
        const target = fresh[k];
        if (v instanceof Tensor && target instanceof Tensor) {
          if (v.size !== target.size) throw new Error(`${name}: state '${k}' of parameter ${key} has shape ${formatShape(v.shape)}, parameter has ${formatShape(p.shape)}`);
          target.data.set(v.data);
        } else if (typeof v === "number" && (typeof target === "number" || target === undefined)) {
          fresh[k] = v;
        } else if (v instanceof Tensor) {
          const copy = zerosFor(p);
          if (v.size !== p.size) throw new Error(`${name}: state '${k}' of parameter ${key} has shape ${formatShape(v.shape)}, parameter has ${formatShape(p.shape)}`);
          copy.data.set(v.data);
          fresh[k] = copy;
        } else {
          throw new Error(`${name}: state '${k}' of parameter ${key} has an unexpected value ${String(v)}`);
        }
      }
      restored.set(p, fresh);
    }
    dict.paramGroups.forEach((saved, gi) => {
      const own = this.paramGroups[gi]!;
      const { params: _ignored, ...hyper } = saved;
      Object.assign(own, structuredClone(hyper));
      this.#checkKinds(own, name);
      this.validate(own);
    });
    this.state.clear();
    for (const [p, s] of restored) this.state.set(p, s);
  }
}

/** A zero-filled buffer of the parameter's precision. */
export function zerosFor(p: Tensor): Tensor {
  return new Tensor(p.dtype === "float64" ? new Float64Array(p.size) : new Float32Array(p.size), p.shape, p.dtype);
}

/** A hyperparameter that must be a finite number >= 0 (Infinity as lr or eps made every parameter NaN). */
export function finiteNonNegative(x: unknown): boolean {
  return typeof x === "number" && Number.isFinite(x) && x >= 0;
}
