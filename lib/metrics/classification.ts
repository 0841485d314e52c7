/**
 * Scores for a classifier's predicted probabilities: accuracy, mean top probability
 * (how confident it is) and log loss (how well calibrated it is).
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { classificationScores } from "@lib/metrics/classification.ts";
 * const scores = classificationScores(tf.tensor2d([[0.9, 0.1], [0.4, 0.6]]), [0, 0]);
 * console.log(scores.accuracy); // 0.5
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** What {@linkcode classificationScores} returns. */
export interface ClassificationScores {
  /** Fraction of rows whose most probable class is the label. */
  accuracy: number;
  /** Mean over rows of the largest probability. */
  confidence: number;
  /** Mean negative log probability of the label (probabilities floored at 1e-7). */
  logLoss: number;
}

/**
 * Scores `probabilities` (one row per example, summing to 1) against integer `labels`.
 *
 * @example Usage
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { classificationScores } from "@lib/metrics/classification.ts";
 * const { logLoss } = classificationScores(tf.tensor2d([[1, 0]]), [0]);
 * console.log(logLoss); // 0
 * ```
 * @param probabilities Shape [examples, classes].
 * @param labels One class index per example.
 * @returns Accuracy, confidence and log loss.
 */
export function classificationScores(
  probabilities: tf.Tensor2D,
  labels: ArrayLike<number>,
): ClassificationScores {
  const [rows, classes] = probabilities.shape;
  if (labels.length !== rows) {
    throw new Error(`classificationScores: ${rows} rows of probabilities but ${labels.length} labels`);
  }
  return tf.tidy(() => {
    const y = tf.tensor1d(Array.from(labels), "int32");
    const ofLabel = probabilities.mul(tf.oneHot(y, classes)).sum(1);
    return {
      accuracy: probabilities.argMax(1).equal(y).mean().dataSync()[0],
      confidence: probabilities.max(1).mean().dataSync()[0],
      logLoss: ofLabel.maximum(1e-7).log().mean().neg().dataSync()[0],
    };
  });
}
