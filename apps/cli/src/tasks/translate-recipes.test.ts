import { Seq2SeqTransformer, TiedLinear } from "@heed/attention";
import { noGrad } from "@heed/autograd";
import { Linear } from "@heed/nn";
import { Generator } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { withRecipe } from "../recipe.js";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { DEEP_DECODER_LAYERS, translateTask } from "./translate.js";

const tiny = configOf(translateTask, { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 16, warmup: 0, recipe: "tied" });

describe("translate --recipe tied", () => {
  it("is the default's config with the recipe's name; the default keeps separate weights", () => {
    expect(translateTask.defaults.epochs).toBe(50);
    expect(withRecipe(translateTask, "tied", {})).toEqual({ ...translateTask.defaults, epochs: 30, task: "translate", recipe: "tied" }); // as measured
    const { recipe: _recipe, ...plain } = tiny;
    const one = translateTask.create(plain, new Generator(1));
    expect((one.model as Seq2SeqTransformer).generator).toBeInstanceOf(Linear);
    expect(one.vocab()).not.toHaveProperty("tied");
  });

  it("ties the generator to the target embedding, records it in vocab.json and reloads the same translations", () => {
    const a = trainSteps(translateTask, tiny, 3);
    const model = a.rt.model as Seq2SeqTransformer;
    expect(model.generator).toBeInstanceOf(TiedLinear);
    expect(model.generator.weight).toBe(model.tgtEmbed.weight);
    expect((a.rt.vocab() as { tied?: boolean }).tied).toBe(true);
    expect(model.stateDict().get("generator.weight")!.data).toEqual(model.stateDict().get("tgt_embed.weight")!.data); // trained as one
    const again = reload(translateTask, { ...tiny, recipe: undefined }, a.rt); // vocab.json, not the config, decides
    expect((again.model as Seq2SeqTransformer).generator).toBeInstanceOf(TiedLinear);
    const inputs = ["red heart", "regional indicator L", "flag: Wales"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => a.rt.predict(inputs)));
  });

  it("a vocab.json without `tied` (checkpoints written before) builds separate weights", () => {
    const { tied, ...vocab } = translateTask.create(tiny, new Generator(1)).vocab() as Record<string, unknown>;
    expect(tied).toBe(true);
    const old = translateTask.create(tiny, new Generator(1), vocab);
    expect((old.model as Seq2SeqTransformer).generator).toBeInstanceOf(Linear);
  });
});

describe("translate --recipe deep", () => {
  const deep = { ...tiny, recipe: "deep" as const, layers: 2 };

  it("sets 2 encoder layers over 1 decoder layer, records it in vocab.json and reloads the same translations", () => {
    expect(withRecipe(translateTask, "deep", {})).toMatchObject({ layers: 2, epochs: 30, recipe: "deep" });
    const a = trainSteps(translateTask, deep, 3);
    const model = a.rt.model as Seq2SeqTransformer;
    expect([model.encoder.layers.length, model.decoder.layers.length]).toEqual([2, DEEP_DECODER_LAYERS]);
    expect((a.rt.vocab() as { decoderLayers?: number }).decoderLayers).toBe(1);
    const again = reload(translateTask, { ...deep, recipe: undefined }, a.rt);
    expect((again.model as Seq2SeqTransformer).decoder.layers.length).toBe(1);
    const inputs = ["red heart", "flag: Wales"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => a.rt.predict(inputs)));
    expect(noGrad(() => a.rt.attention!("red heart")).panels).toHaveLength(2); // one decoder layer × 2 heads
  });
});
