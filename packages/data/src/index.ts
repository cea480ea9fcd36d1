/**
 * @heed/data — data sets, batching, padding with attention masks, tokenizers, windows and CSV
 * (the machinery; the bundled real data sets are in `@heed/datasets`). Browser-safe; the
 * Node-only CSV file reader lives in `@heed/data/node`.
 * Shape letters: B batch, L query length, S key (source) length.
 */
export { type Dataset, ArrayDataset, TensorDataset, Subset, randomSplit, permutation } from "./dataset.js";
export { type BatchSampler, type RandomSamplerOptions, type BucketSamplerOptions, RandomBatchSampler, BucketSampler } from "./sampler.js";
export { type Collated, defaultCollate } from "./collate.js";
export { type DataLoaderOptions, DataLoader } from "./loader.js";
export { type Sequence, type PaddedBatch, type PadSequenceOptions, type PadSequencesOptions, padSequence, padSequences } from "./padding.js";
export { type SeqPair, type Seq2SeqBatch, type Seq2SeqCollateOptions, seq2seqCollate } from "./seq2seq.js";
export { type SpecialTokens, type VocabularyBuildOptions, type VocabularyJSON, Vocabulary } from "./vocab.js";
export { type EncodeOptions, type TokenizerJSON, Tokenizer, CharTokenizer, WordTokenizer, tokenizerFromJSON } from "./tokenizers.js";
export { type Split, fnv1a32, splitByHash } from "./hash.js";
export { type WindowOptions, type WindowedPart, type WindowedSeries, makeWindows } from "./windows.js";
export {
  type SequenceTaskOptions, type SequencePair, type RegressionOptions, type RegressionData,
  copyTask, reverseTask, sortTask, regressionData,
} from "./datasets/synthetic.js";
export { type CsvOptions, CsvReader, parseCsv } from "./csv/reader.js";
export { CsvTable } from "./csv/table.js";
export { parseNumber } from "./csv/split.js";
