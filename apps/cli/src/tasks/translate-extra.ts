import { loadCountryNamePairs, loadEmojiPairs, loadEmojiVariantPairs } from "@heed/datasets/node";
import type { PhrasePair } from "@heed/datasets";

/**
 * Extra training pairs a recipe adds to the translate task's own (training emojis only: both
 * loaders split by the base emoji's hexcode, so nothing of a validation or test emoji is read).
 * `variants`: the skin-tone variants' labels in the same two locales ("waving hand: light skin
 * tone" → "挥手: 较浅肤色"). `locales`: the same source phrases translated into these other target
 * locales, each source led by the token `<2{locale}>` (multilingual NMT's target-language token,
 * Johnson et al. 2017); the task's own pairs carry no token, so `predict` and the exported graphs
 * read a phrase as the one-language model does. `countries`: a bilingual lexicon of country and
 * region names (`loadCountryNamePairs`, i18n-iso-countries: "Norway" → "挪威"), external knowledge
 * the emoji labels lack, as bare phrases with no token (a translator's termbase as training data),
 * or with `countriesTag` each led by the token `<lex>` (as tagged back-translation marks its
 * synthetic pairs, Caswell et al. 2019), so a bare name is not read as an emoji's label.
 */
export interface ExtraData {
  variants?: boolean;
  locales?: string[];
  countries?: boolean;
  countriesTag?: boolean;
}

/** The token that leads the lexicon's pairs under `countriesTag`. */
export const LEXICON_TAG = "<lex>";

/** Extra pairs from one source, and the source token that leads each (null: none). */
export interface ExtraPairs {
  tag: string | null;
  pairs: PhrasePair[];
}

/** The target-language token of an extra target locale (never a word: `words` splits "<" off). */
export const localeTag = (locale: string): string => `<2${locale}>`;

/** The extra training pairs of `extra` for the task's locales `from` → `to`. */
export function extraTrainingPairs(from: string, to: string, extra: ExtraData): ExtraPairs[] {
  const out: ExtraPairs[] = [];
  if (extra.variants === true) out.push({ tag: null, pairs: loadEmojiVariantPairs(from, to).train });
  for (const locale of extra.locales ?? []) {
    if (locale === to || locale === from) throw new Error(`translate: an extra target locale must differ from '${from}' and '${to}', got '${locale}'`);
    out.push({ tag: localeTag(locale), pairs: loadEmojiPairs(from, locale).train });
  }
  if (extra.countries === true) {
    let lexicon;
    try {
      lexicon = loadCountryNamePairs(from, to);
    } catch (e) {
      throw new Error(`translate: the country-name lexicon (--recipe lexicon) ${(e as Error).message.replace(/^loadCountryNamePairs: /, "")}`, { cause: e });
    }
    out.push({ tag: extra.countriesTag === true ? LEXICON_TAG : null, pairs: lexicon.map((p) => ({ hexcode: `lexicon:${p.code}`, emoji: "", source: p.source, target: p.target })) });
  }
  return out;
}
