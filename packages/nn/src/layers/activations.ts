import { checkOptions, expectNumber, gelu, logSoftmax, relu, sigmoid, softmax, tanh, type Tensor } from "@heed/tensor-core";
import { Module } from "../module/module.js";

/** max(0, x) (torch.nn.ReLU). */
export class ReLU extends Module {
  static override readonly typeName: string = "ReLU";
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** GELU (Hendrycks & Gimpel 2016): x·Φ(x), or the tanh approximation (torch.nn.GELU). */
export class GELU extends Module {
  static override readonly typeName: string = "GELU";
  readonly approximate: "none" | "tanh";
  constructor(options?: { approximate?: "none" | "tanh" }) {
    super();
    const { approximate = "none" } = checkOptions("GELU", options, { approximate: true });
    if (approximate !== "none" && approximate !== "tanh") throw new Error(`GELU: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
    this.approximate = approximate;
  }
  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** tanh(x) (torch.nn.Tanh). */
export class Tanh extends Module {
  static override readonly typeName: string = "Tanh";
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** σ(x) = 1 / (1 + e^−x) (torch.nn.Sigmoid). */
export class Sigmoid extends Module {
  static override readonly typeName: string = "Sigmoid";
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** softmax along `dim` (default −1) (torch.nn.Softmax). */
export class Softmax extends Module {
  static override readonly typeName: string = "Softmax";
  readonly dim: number;
  constructor(options?: { dim?: number }) {
    super();
    const { dim = -1 } = checkOptions("Softmax", options, { dim: true });
    this.dim = expectNumber("Softmax", "dim", dim, true);
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log-softmax along `dim` (default −1) (torch.nn.LogSoftmax). */
export class LogSoftmax extends Module {
  static override readonly typeName: string = "LogSoftmax";
  readonly dim: number;
  constructor(options?: { dim?: number }) {
    super();
    const { dim = -1 } = checkOptions("LogSoftmax", options, { dim: true });
    this.dim = expectNumber("LogSoftmax", "dim", dim, true);
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Returns its input (torch.nn.Identity). */
export class Identity extends Module {
  static override readonly typeName: string = "Identity";
  forward(x: Tensor): Tensor {
    return x;
  }
}
