// Kata 01's figures, drawn from fixed numbers (no experiment runs): each must be a well-formed SVG with the
// expected marks, title and axis labels.
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertShows, figure } from "../figure_assert.ts";
import { drawFigures as inputScaling } from "./figures.ts";

describe("demo 01: figures from fixed numbers", () => {
  it("01: a loss line per run on a log axis, and a row of images with predicted classes", async () => {
    const figures = await inputScaling({
      curves: [
        { run: "scaled pixels", losses: [2.3, 1.1, 0.7, 0.5] },
        { run: "raw pixels", losses: [190, 40, 12, 9] },
      ],
      images: [0, 1, 2].map((i) => ({
        pixels: new Uint8Array(784).fill(40 * i),
        truth: ["Coat", "Bag", "Shirt"][i],
        predicted: { "fed scaled": ["Coat", "Bag", "Dress"][i], "fed raw": "Bag" },
      })),
      setup: "fixed numbers",
      predictionSetup: "three images",
    });
    assertEquals(figures.map((f) => f.name), ["loss-per-step", "predictions"]);
    const loss = figure(figures, "loss-per-step");
    assertEquals(loss.marks, { line: 2 });
    assertShows(loss, [
      "Training loss per step: raw vs scaled pixels",
      "fixed numbers",
      "training step (batch of 64 images)",
      "training loss (nats, log scale)",
      "scaled pixels",
      "raw pixels",
      "100",
    ]);
    const predictions = figure(figures, "predictions");
    assertEquals(predictions.marks, { image: 3, text: 9 }); // 3 images × (truth + 2 models)
    assertShows(predictions, [
      "Test images and the class each model predicts",
      "fed scaled",
      "fed raw",
      "Dress",
    ]);
  });
});
