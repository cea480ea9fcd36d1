import type { UserWorkspaceConfig } from "vitest/config";
export declare const base: UserWorkspaceConfig;
export default base;

/** Tolerances of `toBeAllclose`: |actual − expected| <= atol + rtol·|expected|. */
export interface AllcloseOptions {
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
}

/** A Tensor (anything with `data`, optionally `shape`), a typed or plain array, or a number. */
export type AllcloseValue = ArrayLike<number> | { readonly data: ArrayLike<number>; readonly shape?: readonly number[] } | number;

declare module "vitest" {
  interface Matchers<T = any> {
    /**
     * Every |actual − expected| <= atol + rtol·|expected| (defaults rtol 1e-4, atol 1e-5); NaN
     * matches NaN, infinities must be equal, shapes must match when both sides have one.
     */
    toBeAllclose(expected: AllcloseValue, options?: AllcloseOptions): T;
  }
}
