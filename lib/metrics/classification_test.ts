import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { classificationScores } from "./classification.ts";

await initBackend();

describe("classification scores", () => {
  it("computes accuracy, mean top probability and log loss", () => {
    const scores = classificationScores(tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), [0, 1]);
    assertEquals(scores.accuracy, 0.5);
    assertAlmostEquals(scores.confidence, 0.75, 1e-6);
    assertAlmostEquals(scores.logLoss, -(Math.log(0.7) + Math.log(0.1)) / 2, 1e-6);
  });

  it("floors probabilities at 1e-7 so a certain mistake costs a finite 16.1", () => {
    assertAlmostEquals(classificationScores(tf.tensor2d([[1, 0]]), [1]).logLoss, -Math.log(1e-7), 1e-3);
  });

  it("rejects a label count that does not match the rows", () => {
    assertThrows(
      () => classificationScores(tf.tensor2d([[1, 0]]), [0, 1]),
      Error,
      "1 rows of probabilities but 2 labels",
    );
  });
});
