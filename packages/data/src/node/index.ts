/**
 * @heed/data/node — Node-only helpers: synchronous loaders of the data sets that ship in
 * npm dependencies (CMUdict, emojibase-data, vega-datasets) and a streaming CSV file reader.
 */
export { readCsvFile } from "./csv.js";
export {
  loadCmudict, loadEmojiRecords, loadEmojiPairs, loadEmojiClassification, loadTimeSeries, loadCo2,
  type TimeSeries, type Co2Options,
} from "./datasets.js";
