/**
 * @heed/datasets — real data sets that ship through npm, with fixed splits: CMUdict
 * (pronunciations), emoji labels in 28 locales, time series (Mauna Loa CO2, …) and
 * handwritten digits. This entry re-exports every browser-safe part; a browser app that
 * needs one data set imports its own entry (`@heed/datasets/cmudict`, `/emoji`,
 * `/timeseries`, `/digits`). Synchronous Node loaders: `@heed/datasets/node`.
 */
export { type Pronunciation, type CmudictOptions, splitCmudict, importCmudict } from "./cmudict.js";
export {
  type EmojiRecord, type EmojiLocale, type PhrasePair, type VariantPair, type LabelledPhrase, type EmojiClassification, type EmojiGroupsMeta,
  EMOJI_LOCALES, emojiPairsFromRecords, emojiVariantPairsFromRecords, emojiClassificationFromRecords,
} from "./emoji.js";
export { type TimeSeriesSource, type TimeSeriesName, TIME_SERIES } from "./timeseries.js";
export * from "./digits/index.js";
export {
  type WordNet, type WordNetPos, type WordNetSenses, type WordNetSynset,
  WORDNET_POS, WORDNET_LEXNAMES, parseWordNetIndex, parseWordNetData, wordNetBaseForm, hypernymClosure,
} from "./wordnet.js";
