/** Every benchmark case, in report order. */
import type { BenchCase } from "../types.js";
import { attentionCases, longAttentionCases } from "./attention.js";
import { g2pDecodeCases } from "./g2p/decode.js";
import { g2pTrainCases } from "./g2p/train.js";
import { matmulCases } from "./matmul.js";
import { mhaCases } from "./mha.js";
import { trainingCases } from "./training.js";
import { softmaxCases } from "./softmax.js";

export function allCases(quick: boolean): BenchCase<unknown>[] {
  return [...matmulCases(quick), ...softmaxCases(quick), ...attentionCases(quick), ...mhaCases(quick), ...trainingCases(quick), ...g2pTrainCases(quick), ...g2pDecodeCases(quick), ...longAttentionCases(quick)];
}
