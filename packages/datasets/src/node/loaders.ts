import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { makeWindows, type Split, type WindowOptions, type WindowedSeries } from "@heed/data";
import { readCsvFile } from "@heed/data/node";
import { checkOptions, describeValue, expectBoolean, type OptionKeys } from "@heed/tensor-core";
import { splitCmudict, type CmudictOptions, type Pronunciation } from "../cmudict.js";
import {
  checkEmojiLocale, emojiClassificationFromRecords, emojiPairsFromRecords, emojiVariantPairsFromRecords,
  type EmojiClassification, type EmojiGroupsMeta, type EmojiRecord, type PhrasePair, type VariantPair,
} from "../emoji.js";
import { TIME_SERIES, type TimeSeriesName, type TimeSeriesSource } from "../timeseries.js";

const require = createRequire(import.meta.url);

/**
 * The dictionary table of `cmu-pronouncing-dictionary`. Its module is one object literal that
 * is valid JSON, so it is parsed from the file instead of imported: an imported ES module stays
 * in the module cache for the life of the process (~20 MB of strings that every full garbage
 * collection of a training run would trace), while a parsed object is freed once split.
 * Falls back to `require` if a future version of the file is laid out differently.
 */
function readDictionary(): Record<string, string> {
  const path = require.resolve("cmu-pronouncing-dictionary");
  const text = readFileSync(path, "utf8");
  const start = text.indexOf("{", text.indexOf("export const dictionary"));
  const end = text.lastIndexOf("}");
  if (start >= 0 && end > start) {
    try {
      return JSON.parse(text.slice(start, end + 1)) as Record<string, string>;
    } catch {
      // not plain JSON: use the module itself
    }
  }
  return (require("cmu-pronouncing-dictionary") as { dictionary: Record<string, string> }).dictionary;
}

/**
 * CMUdict 0.7b from `cmu-pronouncing-dictionary@3.0.0`, cleaned and split by `splitCmudict`
 * (train 112,482 / valid 6,191 / test 6,247 words with the defaults). Synchronous: the
 * dictionary is read on the first call (~0.2 s), not when @heed/datasets/node is imported.
 *
 * @example
 * const { train, test } = loadCmudict();
 * train.find((e) => e.word === "attention")?.phonemes; // ["AH0", "T", "EH1", "N", "SH", "AH0", "N"]
 */
export function loadCmudict(options?: CmudictOptions): Split<Pronunciation> {
  noMoreArguments("loadCmudict", "(options?)", 1, arguments.length);
  const checked = checkOptions("loadCmudict", options, { stress: true, alternates: true });
  if (checked.stress !== undefined) expectBoolean("loadCmudict", "stress", checked.stress);
  if (checked.alternates !== undefined) expectBoolean("loadCmudict", "alternates", checked.alternates);
  return splitCmudict(readDictionary(), checked);
}

/**
 * A loader called with more arguments than it takes (`loadEmojiPairs("en", "zh", { split })`)
 * throws instead of ignoring them, as an unknown option key does.
 */
export function noMoreArguments(fn: string, signature: string, max: number, got: number): void {
  if (got > max) throw new Error(`${fn}: takes ${signature}, got ${got} arguments`);
}

/**
 * The records of emojibase-data's `<locale>/data.json` (1,949 per locale in version 17), as the
 * package ships them: the input of `emojiPairsFromRecords`, `emojiVariantPairsFromRecords` and
 * `emojiClassificationFromRecords`, or of a task of your own. `locale` is one of `EMOJI_LOCALES`.
 *
 * @example
 * const pairs = emojiPairsFromRecords(loadEmojiRecords("en"), loadEmojiRecords("fr")); // as loadEmojiPairs("en", "fr")
 */
export function loadEmojiRecords(locale = "en"): EmojiRecord[] {
  noMoreArguments("loadEmojiRecords", "(locale?)", 1, arguments.length);
  return records("loadEmojiRecords", locale);
}

function records(fn: string, locale: string): EmojiRecord[] {
  checkEmojiLocale(fn, locale);
  return require(`emojibase-data/${locale}/data.json`) as EmojiRecord[];
}

/**
 * (source, target) phrase pairs: the same emoji's label in two locales, joined on hexcode
 * (1,949 pairs for any two locales of emojibase-data@17), split 90/5/5 by hexcode hash.
 *
 * @example
 * const { train } = loadEmojiPairs("en", "zh");
 */
export function loadEmojiPairs(srcLocale = "en", tgtLocale = "zh"): Split<PhrasePair> {
  noMoreArguments("loadEmojiPairs", "(srcLocale?, tgtLocale?)", 2, arguments.length);
  return emojiPairsFromRecords(records("loadEmojiPairs", srcLocale), records("loadEmojiPairs", tgtLocale));
}

/**
 * The skin-tone variants' label pairs of two locales (2,030 for en → zh in emojibase-data@17),
 * each in the part of its base emoji (`emojiVariantPairsFromRecords`): extra training phrases
 * that say nothing about a validation or test emoji.
 *
 * @example
 * const { train } = loadEmojiVariantPairs("en", "zh"); // "waving hand: light skin tone" → "挥手: 较浅肤色", …
 */
export function loadEmojiVariantPairs(srcLocale = "en", tgtLocale = "zh"): Split<VariantPair> {
  noMoreArguments("loadEmojiVariantPairs", "(srcLocale?, tgtLocale?)", 2, arguments.length);
  return emojiVariantPairsFromRecords(records("loadEmojiVariantPairs", srcLocale), records("loadEmojiVariantPairs", tgtLocale));
}

/** One country or region's name in two locales (`loadCountryNamePairs`). */
export interface CountryNamePair {
  /** ISO 3166-1 alpha-2 code. */
  code: string;
  source: string;
  target: string;
}

/** The locales of `loadCountryNamePairs`: the emoji locales that i18n-iso-countries also names countries in. */
export const COUNTRY_NAME_LOCALES = ["en", "zh"] as const;

/**
 * A bilingual lexicon of country and region names from `i18n-iso-countries@7.14.0` (MIT;
 * `langs/<locale>.json`, the 249 ISO 3166-1 codes): one pair per name the source locale gives a
 * code (its aliases included: "United States of America", "United States", "USA", …), each with
 * the target locale's first name for it, in code order. External knowledge, not split: it is
 * no emoji's label, and it names the countries of validation and test flags too (see the CLI's
 * RECIPES.md for how much of their targets it holds).
 *
 * @example
 * loadCountryNamePairs("en", "zh").find((p) => p.source === "Norway"); // { code: "NO", source: "Norway", target: "挪威" }
 */
export function loadCountryNamePairs(srcLocale = "en", tgtLocale = "zh"): CountryNamePair[] {
  noMoreArguments("loadCountryNamePairs", "(srcLocale?, tgtLocale?)", 2, arguments.length);
  for (const locale of [srcLocale, tgtLocale] as unknown[]) {
    if (typeof locale !== "string" || !(COUNTRY_NAME_LOCALES as readonly string[]).includes(locale)) {
      const got = typeof locale === "string" ? `'${locale}'` : describeValue(locale);
      throw new Error(`loadCountryNamePairs: unknown locale ${got}; expected one of ${COUNTRY_NAME_LOCALES.join(", ")}`);
    }
  }
  if (srcLocale === tgtLocale) throw new Error(`loadCountryNamePairs: source and target locale are both '${srcLocale}'`);
  type Names = { countries: Record<string, string | string[]> };
  const names = (locale: string) => (require(`i18n-iso-countries/langs/${locale}.json`) as Names).countries;
  const src = names(srcLocale);
  const tgt = names(tgtLocale);
  const all = (x: string | string[]): string[] => (Array.isArray(x) ? x : [x]);
  const out: CountryNamePair[] = [];
  for (const code of Object.keys(src).sort()) {
    const target = tgt[code] === undefined ? undefined : all(tgt[code])[0];
    if (target === undefined) continue;
    for (const source of new Set(all(src[code]!))) out.push({ code, source, target });
  }
  return out;
}

/** Emoji labels of one locale with their group (10) and subgroup (100) as classes; 1,923 phrases. */
export function loadEmojiClassification(locale = "en"): EmojiClassification {
  noMoreArguments("loadEmojiClassification", "(locale?)", 1, arguments.length);
  const recs = records("loadEmojiClassification", locale);
  const meta = require("emojibase-data/meta/groups.json") as EmojiGroupsMeta;
  return emojiClassificationFromRecords(recs, meta);
}

/** A raw series from vega-datasets: time stamps (as text) and values, in file order. */
export interface TimeSeries {
  name: TimeSeriesName;
  source: TimeSeriesSource;
  times: string[];
  values: Float64Array;
}

/** The directory of vega-datasets' data files (its exports map hides them from `require`). */
function vegaDataDir(): string {
  return join(dirname(require.resolve("vega-datasets")), "..", "data");
}

/**
 * A series shipped in vega-datasets@3.2.1 (see TIME_SERIES for names, sources and licences).
 *
 * @example
 * const co2 = loadTimeSeries("co2"); // 741 monthly values, co2.times[0] === "1958-03-01"
 */
export function loadTimeSeries(name: TimeSeriesName = "co2"): TimeSeries {
  noMoreArguments("loadTimeSeries", "(name?)", 1, arguments.length);
  if (typeof name !== "string") throw new Error(`loadTimeSeries: expected a series name (one of ${Object.keys(TIME_SERIES).join(", ")}), got ${describeValue(name)}`);
  const source = Object.hasOwn(TIME_SERIES, name) ? TIME_SERIES[name] : undefined;
  if (source === undefined) throw new Error(`loadTimeSeries: unknown series '${name}' (available: ${Object.keys(TIME_SERIES).join(", ")})`);
  const table = readCsvFile(join(vegaDataDir(), source.file), { columns: [source.value], text: [source.time] });
  return { name, source, times: table.text(source.time), values: table.column(source.value) };
}

export interface Co2Options extends Partial<WindowOptions> {
  /** Use the seasonally adjusted series. Default false. */
  adjusted?: boolean;
}

const CO2_KEYS: OptionKeys<Co2Options> = { adjusted: true, window: true, horizon: true, stride: true, testFraction: true, normalize: true };

/**
 * Monthly Mauna Loa CO2 as sliding windows with a time-ordered split and training-part
 * normalisation (`makeWindows`; defaults: window 24, horizon 1, testFraction 0.2).
 *
 * @example
 * const { train, test, denormalize } = loadCo2({ window: 24 });
 * train.x.shape; // [N, 24, 1]
 */
export function loadCo2(options?: Co2Options): WindowedSeries & { times: string[] } {
  noMoreArguments("loadCo2", "(options?)", 1, arguments.length);
  const { adjusted = false, window = 24, ...rest } = checkOptions("loadCo2", options, CO2_KEYS);
  expectBoolean("loadCo2", "adjusted", adjusted);
  const series = loadTimeSeries(adjusted ? "co2-adjusted" : "co2");
  try {
    return { ...makeWindows(series.values, { window, ...rest }), times: series.times };
  } catch (e) {
    // makeWindows checks the window options; the error names the function the caller called
    if (e instanceof Error && e.message.startsWith("makeWindows: ")) throw new Error(`loadCo2: ${e.message.slice("makeWindows: ".length)}`, { cause: e });
    throw e;
  }
}
