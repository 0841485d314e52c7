/**
 * Scores of trained models.
 *
 * `classification.ts`: accuracy, confidence and log loss of predicted probabilities.
 *
 * @example Usage
 * ```ts
 * import { classificationScores } from "@lib/metrics/mod.ts";
 * import * as tf from "@tensorflow/tfjs";
 * console.log(classificationScores(tf.tensor2d([[0.9, 0.1]]), [0]).accuracy); // 1
 * ```
 * @module
 */
export * from "./classification.ts";
