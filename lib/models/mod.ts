/**
 * Model builders, optimizers and trainers that several katas, solutions or demos share.
 *
 * `text_classifier.ts`: the embedding + LSTM classifier and its training step (kata 03); `lr_schedule.ts`:
 * learning-rate schedules and an Adam that follows one (kata 05); `svm.ts`: LIBSVM through libsvm-js (kata
 * 02).
 *
 * @example Usage
 * ```ts
 * import { exponentialDecay } from "@lib/models/mod.ts";
 * console.log(exponentialDecay(1e-2, 1e-4, 100)(0)); // 0.01
 * ```
 * @module
 */
export * from "./lr_schedule.ts";
export * from "./svm.ts";
export * from "./text_classifier.ts";
export * from "./observe_training.ts";
