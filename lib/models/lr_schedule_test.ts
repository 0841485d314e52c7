import * as tf from "@tensorflow/tfjs";
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { exponentialDecay, ScheduledAdam } from "./lr_schedule.ts";

await initBackend();

describe("lr_schedule", () => {
  it("exponentialDecay starts at initial, falls geometrically and reaches final at the last step", () => {
    const rate = exponentialDecay(1e-2, 1e-4, 10);
    assertAlmostEquals(rate(0), 1e-2, 1e-15);
    assertAlmostEquals(rate(5), 1e-3, 1e-15);
    assertAlmostEquals(rate(10), 1e-4, 1e-15);
    assertAlmostEquals(rate(3) / rate(2), rate(8) / rate(7), 1e-12);
  });

  it("exponentialDecay rejects rates ≤ 0 and a step count that is not a positive integer", () => {
    assertThrows(
      () => exponentialDecay(0, 1e-4, 10),
      Error,
      "learning rate must be a finite number > 0, got 0",
    );
    assertThrows(() => exponentialDecay(1e-2, 1e-4, 0), Error, "steps must be a positive integer, got 0");
  });

  it("ScheduledAdam steps with the rate set last: Adam's first step moves each weight by the rate", () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = new ScheduledAdam(0.5);
    optimizer.setLearningRate(0.01);
    optimizer.minimize(() => tf.sum(tf.mul(w, tf.tensor1d([3, -4]))) as tf.Scalar);
    const [a, b] = w.dataSync();
    // Adam's bias-corrected first step is -rate · sign(gradient).
    assertAlmostEquals(a, 1 - 0.01, 1e-6);
    assertAlmostEquals(b, -2 + 0.01, 1e-6);
    assertEquals(optimizer.getConfig().learningRate, 0.01);
    assertThrows(() => optimizer.setLearningRate(-1), Error, "learning rate must be a finite number > 0");
    optimizer.dispose();
    w.dispose();
  });
});
