/**
 * In-place initialisers (torch.nn.init): each fills a tensor's storage from a seeded
 * generator (nn's default one unless `rng` is given) and returns the tensor.
 */
import { checkOptions, describeValue, formatShape, type Generator, type Tensor } from "@heed/tensor-core";
import { resolveGenerator } from "./random.js";
import { tensorArg } from "./tensor-arg.js";

/** fan_in and fan_out as torch computes them: dims 1 and 0 times the receptive field (dims 2…). */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  tensorArg("calculateFanInAndFanOut", "t", t);
  if (t.rank < 2) throw new Error(`calculateFanInAndFanOut: needs a tensor with at least 2 dimensions, got shape ${formatShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

/** Fill with U(low, high). */
export function uniform_(t: Tensor, low = 0, high = 1, rng?: Generator): Tensor {
  tensorArg("uniform_", "t", t);
  if (!(low <= high)) throw new Error(`uniform_: expected low <= high (as torch.nn.init.uniform_'s a <= b), got low=${low}, high=${high} (tensor ${formatShape(t.shape)})`);
  const g = resolveGenerator(rng, "uniform_");
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * g.nextFloat();
  return t;
}

/** Fill with N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, rng?: Generator): Tensor {
  tensorArg("normal_", "t", t);
  if (!(std >= 0) || !Number.isFinite(mean)) throw new Error(`normal_: expected a finite mean and std >= 0, got mean=${mean}, std=${std} (tensor ${formatShape(t.shape)})`);
  const g = resolveGenerator(rng, "normal_");
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.nextNormal();
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  tensorArg("constant_", "t", t);
  if (typeof value !== "number" && typeof value !== "boolean") throw new Error(`constant_: expected 'value' to be a number, got ${describeValue(value)} (tensor ${formatShape(t.shape)})`);
  t.data.fill(value);
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: "linear" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu", param?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (torch default 0; Linear uses √5). */
  a?: number;
  mode?: "fanIn" | "fanOut";
  nonlinearity?: "leaky_relu" | "relu" | "linear" | "tanh" | "sigmoid";
  rng?: Generator;
}

/** Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan) (torch.nn.init.kaiming_uniform_). */
export function kaimingUniform_(t: Tensor, options?: KaimingOptions): Tensor {
  const { a = 0, mode = "fanIn", nonlinearity = "leaky_relu", rng } = checkOptions("kaimingUniform_", options, { a: true, mode: true, nonlinearity: true, rng: true });
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  if (mode !== "fanIn" && mode !== "fanOut") {
    const given: unknown = mode;
    const hint = given === "fan_in" ? " — did you mean 'fanIn'?" : given === "fan_out" ? " — did you mean 'fanOut'?" : "";
    throw new Error(`kaimingUniform_: mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(given)}${hint}`);
  }
  const fan = mode === "fanIn" ? fanIn : fanOut;
  const bound = fan === 0 ? 0 : calculateGain(nonlinearity, a) * Math.sqrt(3 / fan);
  return uniform_(t, -bound, bound, rng);
}

/** Xavier/Glorot uniform: U(−b, b) with b = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, gain = 1, rng?: Generator): Tensor {
  tensorArg("xavierUniform_", "t", t);
  if (typeof gain !== "number" || !Number.isFinite(gain) || gain < 0) throw new Error(`xavierUniform_: expected 'gain' to be a finite number >= 0, got ${describeValue(gain)} (tensor ${formatShape(t.shape)})`);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, rng);
}

/** Xavier/Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1, rng?: Generator): Tensor {
  tensorArg("xavierNormal_", "t", t);
  if (typeof gain !== "number" || !Number.isFinite(gain) || gain < 0) throw new Error(`xavierNormal_: expected 'gain' to be a finite number >= 0, got ${describeValue(gain)} (tensor ${formatShape(t.shape)})`);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), rng);
}
