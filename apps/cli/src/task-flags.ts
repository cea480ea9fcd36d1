import type { TrainConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { flagName, type TrainFlagName, type TrainFlagValues } from "./flags.js";

/**
 * Why a `heed train` flag has no effect on a run of this config (null: it has one). A flag that
 * would be silently ignored is a usage error instead (`checkFlagsApply`).
 */
function unused(k: TrainFlagName, c: TrainConfig): string | null {
  const seq2seq = c.task === "g2p" || c.task === "translate";
  const featureSeed = c.task === "seed" && c.attention === "feature";
  switch (k) {
    case "beam":
      return seq2seq ? null : "beam search decodes g2p and translate only";
    case "from":
    case "to":
      return c.task === "translate" ? null : "the locales are translate's";
    case "ff":
      return seq2seq || c.task === "digits" ? null : "its attention layers have no feed-forward block";
    case "labelSmoothing":
      return c.task === "forecast" || c.task === "seed" ? "it is a regression (MSE), without labels to smooth" : null;
    case "evalSize":
      return c.task === "seed" ? "it always evaluates its whole 100-row test split" : null;
    case "dModel":
    case "layers":
    case "dropout":
      return featureSeed ? "its --attention feature model has no token width, layers or dropout (give --attention dot, scaled, multihead or residual)" : null;
    case "heads":
      if (featureSeed) return "its --attention feature model has no heads (give --attention multihead or residual)";
      return c.attention === "dot" || c.attention === "scaled" ? `--attention ${c.attention} is single-head` : null;
    default:
      return null;
  }
}

/** `heed train`: each flag given must change the run; one that would not is a usage error naming the flag, the task and why. */
export function checkFlagsApply(given: TrainFlagValues, config: TrainConfig): void {
  for (const k of Object.keys(given) as TrainFlagName[]) {
    const why = unused(k, config);
    if (why !== null) throw new UsageError(`train: ${flagName(k)} does not apply to the '${config.task}' task: ${why}`);
  }
}
