// deno-lint-ignore-file no-unused-vars -- the stubs name the arguments the learner will use
/**
 * Kata 02, step 5: an RBF support vector machine through LIBSVM (libsvm-js, via
 * `trainSvm` in `@lib/models/svm.ts`).
 *
 * @module
 */
import type { Dataset, Features, SvmSettings } from "./contract.ts";
import { notImplemented } from "@lib/testing/not_implemented.ts";

export type { SvmSettings } from "./contract.ts";

/**
 * Step 5. Trains an RBF C-SVC on `train` (`trainSvm` from `@lib/models/svm.ts`, one feature row per
 * sample, the 0/1 labels as classes) and predicts a label for every row of `test`. Frees
 * the model's WebAssembly memory before returning, also when predicting fails. Throws a
 * `RangeError` when `test` and `train` have different numbers of features.
 *
 * @param train Labelled training rows.
 * @param test Rows to predict (their labels, if any, are not used).
 * @param settings Kernel width and cost.
 * @returns One 0/1 label per row of `test`.
 */
export function svmPredict(train: Dataset, test: Features, settings: SvmSettings): Promise<number[]> {
  return notImplemented("svmPredict", 5);
}

/**
 * Step 5. The share of `val`'s rows that {@linkcode svmPredict} (trained on `train`) labels
 * correctly.
 *
 * @param train Labelled training rows.
 * @param val Labelled validation rows.
 * @param settings Kernel width and cost.
 * @returns Accuracy in [0, 1].
 */
export function svmAccuracy(train: Dataset, val: Dataset, settings: SvmSettings): Promise<number> {
  return notImplemented("svmAccuracy", 5);
}
