import { loadCountryNamePairs, loadEmojiPairs, loadEmojiVariantPairs } from "@heed/datasets/node";
import { noGrad } from "@heed/autograd";
import { Generator } from "@heed/tensor-core";
import { describe, expect, it } from "vitest";
import { withRecipe } from "../recipe.js";
import { configOf, reload, trainSteps } from "../../test/tasks-testing.js";
import { extraTrainingPairs, LEXICON_TAG, localeTag } from "./translate-extra.js";
import { translateTask } from "./translate.js";

const tiny = configOf(translateTask, { dModel: 16, heads: 2, layers: 1, ff: 32, batchSize: 16, warmup: 0 });
const vocabOf = (rt: { vocab(): unknown }) => rt.vocab() as { extra?: unknown; source: { vocab: { tokens: string[] } } };
const fits = (p: { source: string; target: string }) => Array.from(p.source).length <= 64 && Array.from(p.target).length <= 64;
/** The training split's pairs the model reads (at most 64 characters a side). */
const trainingPairs = () => loadEmojiPairs("en", "zh").train.filter(fits);

describe("translate's extra training pairs", () => {
  it("are the training emojis' only: skin-tone variants of training emojis, other locales' training pairs led by a tag", () => {
    const [variants, hant] = extraTrainingPairs("en", "zh", { variants: true, locales: ["zh-hant"] });
    const train = new Set(loadEmojiPairs("en", "zh").train.map((p) => p.hexcode));
    expect(variants!.tag).toBeNull();
    expect(variants!.pairs).toEqual(loadEmojiVariantPairs("en", "zh").train);
    expect(variants!.pairs.every((p) => train.has((p as { base?: string }).base!))).toBe(true);
    expect(hant!.tag).toBe("<2zh-hant>");
    expect(hant!.pairs.every((p) => train.has(p.hexcode))).toBe(true);
    expect(hant!.pairs.find((p) => p.source === "flag: Albania")?.target).toBe("旗子：阿爾巴尼亞");
    expect(() => extraTrainingPairs("en", "zh", { locales: ["zh"] })).toThrow(/extra target locale must differ from 'en' and 'zh', got 'zh'/);
  });

  it("--recipe variants trains on the variants too, records them in vocab.json and reloads the same translations", () => {
    expect(withRecipe(translateTask, "variants", {})).toMatchObject({ epochs: 20, recipe: "variants" });
    const plain = translateTask.create(tiny, new Generator(1));
    const cfg = { ...tiny, recipe: "variants" as const };
    const a = trainSteps(translateTask, cfg, 2);
    const variants = loadEmojiVariantPairs("en", "zh").train;
    expect(a.rt.trainSize).toBe(trainingPairs().length + variants.filter(fits).length); // not the default's lexicon
    expect(variants.filter(fits).length).toBeLessThan(variants.length); // two-tone variants of couples run past 64 characters
    expect(a.rt.testSize).toBe(plain.testSize);
    expect(vocabOf(a.rt).extra).toEqual({ variants: true });
    expect(vocabOf(plain).extra).toEqual({ countries: true });
    const again = reload(translateTask, tiny, a.rt); // vocab.json, not the config, decides
    expect(again.trainSize).toBe(a.rt.trainSize);
    const inputs = ["red heart", "flag: Wales"];
    expect(noGrad(() => again.predict(inputs))).toEqual(noGrad(() => a.rt.predict(inputs)));
  });

  it("--recipe multilingual adds the target-language token to the source vocabulary and the other locale's characters to the target's", () => {
    const cfg = { ...tiny, recipe: "multilingual" as const };
    const a = trainSteps(translateTask, cfg, 2);
    const plain = translateTask.create(tiny, new Generator(1));
    const tokens = vocabOf(a.rt).source.vocab.tokens;
    expect(tokens).toContain(localeTag("zh-hant"));
    expect(tokens.length).toBe(vocabOf(plain).source.vocab.tokens.length + 1); // the same spelled-out words
    expect(vocabOf(a.rt).extra).toEqual({ locales: ["zh-hant"] });
    const again = reload(translateTask, tiny, a.rt);
    expect(noGrad(() => again.predict(["flag: Wales"]))).toEqual(noGrad(() => a.rt.predict(["flag: Wales"])));
  });

  it("the country-name lexicon is one untagged part of bare names, never a flag phrase nor a validation or test source", () => {
    const [lexicon] = extraTrainingPairs("en", "zh", { countries: true });
    expect(lexicon!.tag).toBeNull();
    expect(lexicon!.pairs.map((p) => [p.source, p.target])).toEqual(loadCountryNamePairs("en", "zh").map((p) => [p.source, p.target]));
    expect(lexicon!.pairs.find((p) => p.source === "Norway")).toMatchObject({ hexcode: "lexicon:NO", target: "挪威" });
    const { valid, test } = loadEmojiPairs("en", "zh");
    const held = new Set([...valid, ...test].map((p) => p.source));
    expect(lexicon!.pairs.filter((p) => p.source.startsWith("flag") || held.has(p.source))).toEqual([]);
    expect(() => extraTrainingPairs("en", "ja", { countries: true })).toThrow("translate: the country-name lexicon (--recipe lexicon) unknown locale 'ja'; expected one of en, zh");
  });

  it("the default trains on the country-name lexicon too, adds its characters to the target vocabulary and reloads the same translations", () => {
    expect(withRecipe(translateTask, "default", {})).toMatchObject({ epochs: 50 });
    const a = trainSteps(translateTask, tiny, 2);
    expect(a.rt.trainSize).toBe(trainingPairs().length + loadCountryNamePairs("en", "zh").length);
    expect(vocabOf(a.rt).extra).toEqual({ countries: true });
    const targets = (rt: { vocab(): unknown }) => (rt.vocab() as { target: { vocab: { tokens: string[] } } }).target.vocab.tokens;
    expect(trainingPairs().some((p) => p.target.includes("玻"))).toBe(false); // 玻利维亚 (Bolivia): one of the 6 characters no training target has
    expect(targets(a.rt)).toContain("玻");
    const again = reload(translateTask, tiny, a.rt);
    expect(again.trainSize).toBe(a.rt.trainSize);
    expect(noGrad(() => again.predict(["flag: Norway", "lemon"]))).toEqual(noGrad(() => a.rt.predict(["flag: Norway", "lemon"])));
  });

  it("a checkpoint written before the lexicon (no extra in vocab.json) still reads the training split alone", () => {
    const a = trainSteps(translateTask, tiny, 1);
    const vocab = JSON.parse(JSON.stringify(a.rt.vocab())) as Record<string, unknown>;
    delete vocab.extra;
    const old = translateTask.create(tiny, new Generator(1), vocab);
    expect(old.trainSize).toBe(trainingPairs().length);
    expect(old.vocab()).not.toHaveProperty("extra");
  });

  it("--recipe lexicon-tag leads every lexicon pair with <lex>, a source token of its own", () => {
    const [tagged] = extraTrainingPairs("en", "zh", { countries: true, countriesTag: true });
    expect(tagged!.tag).toBe(LEXICON_TAG);
    expect(tagged!.pairs).toEqual(extraTrainingPairs("en", "zh", { countries: true })[0]!.pairs);
    const a = trainSteps(translateTask, { ...tiny, recipe: "lexicon-tag" as const }, 2);
    const plain = translateTask.create(tiny, new Generator(1));
    expect(a.rt.trainSize).toBe(plain.trainSize); // the default's pairs, tagged
    const tokens = vocabOf(a.rt).source.vocab.tokens;
    expect(tokens).toContain(LEXICON_TAG);
    expect(tokens.length).toBe(vocabOf(plain).source.vocab.tokens.length + 1);
    expect(vocabOf(a.rt).extra).toEqual({ countries: true, countriesTag: true });
    const again = reload(translateTask, tiny, a.rt);
    expect(noGrad(() => again.predict(["flag: Norway"]))).toEqual(noGrad(() => a.rt.predict(["flag: Norway"])));
  });
});
