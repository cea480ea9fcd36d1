import { run } from "../../dispatch.js";
import { describeValue } from "../../options.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { expectTensor } from "../elementwise/convert.js";

/**
 * Constant padding. `paddings` holds [before, after] pairs for the LAST paddings.length
 * dimensions, outermost first (so `[[0, 0], [1, 2]]` pads the last dimension by 1 before
 * and 2 after). Note the order is the reverse of torch.nn.functional.pad's flat list.
 *
 * @example
 * pad(tensor([[1, 2]]), [[0, 0], [1, 1]]);   // [[0, 1, 2, 0]]
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  expectTensor("pad", x);
  const given: unknown = paddings;
  if (!Array.isArray(given) || given.some((p) => !Array.isArray(p))) {
    const flat = Array.isArray(given) && given.every((p) => typeof p === "number") ? " (PyTorch's flat F.pad list [left, right, top, bottom, …] counts from the last dimension; here [[top, bottom], [left, right]] pads the last two)" : "";
    throw new Error(`pad: expected 'paddings' as [before, after] pairs for the trailing dimensions of x: ${formatShape(x.shape)}, like [[0, 0], [1, 1]], got ${describeValue(paddings)}${flat}`);
  }
  const text = `paddings: [${paddings.map((p) => `[${p.join(",")}]`).join(",")}]`;
  if (paddings.length > x.rank) {
    throw new Error(`pad: ${paddings.length} padding pairs given for x: ${formatShape(x.shape)} (${text})`);
  }
  if (paddings.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`pad: paddings must be pairs of non-negative integers (x: ${formatShape(x.shape)}, ${text})`);
  }
  const lead = x.rank - paddings.length;
  const pads = x.shape.map((_, d): [number, number] => (d < lead ? [0, 0] : [paddings[d - lead]![0], paddings[d - lead]![1]]));
  return run("pad", [x], { pads, value });
}
