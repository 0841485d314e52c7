// deno-lint-ignore-file no-unused-vars -- the stubs name the arguments the learner will use
/**
 * Kata 02, step 4: principal component analysis, fitted on the training rows only.
 *
 * @module
 */
import type { Dataset, PcaModel } from "./contract.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";

export type { PcaModel } from "./contract.ts";

/**
 * Step 4. Fits a PCA with `components` components on `train`. Decompose with a real
 * linear-algebra library (ml-matrix's `EigenvalueDecomposition` or `SVD`, or ml-pca), not a
 * hand-written one. With 70 samples and 10,000 features, decomposing the 70 × 70 matrix
 * `X Xᵀ` of the centred rows is much faster than the 10,000 × 10,000 covariance: if
 * `X Xᵀ v = λ v`, then `Xᵀ v / √λ` is a principal direction with variance share
 * `λ / trace(X Xᵀ)`. Throws a `RangeError` naming `components` unless it is an integer in
 * `[1, samples − 1]` (n centred rows span at most n − 1 directions).
 *
 * @param train Training rows (the only rows the PCA may see).
 * @param components Number of components to keep.
 * @returns The fitted PCA.
 */
export function fitPca(train: Dataset, components: number): PcaModel {
  return notImplemented("fitPca", 4);
}
