/**
 * @heed/data/node — Node-only helpers: a streaming CSV file reader. The loaders of the
 * bundled real data sets are in `@heed/datasets/node`.
 */
export { readCsvFile } from "./csv.js";
