// Kata 06's figures, drawn from fixed numbers (no experiment runs): each must be a well-formed SVG with the
// expected marks, title and axis labels.
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertShows, figure } from "../figure_assert.ts";
import { drawFigures as batchNormRegression } from "./figures.ts";

describe("demo 06: figures from fixed numbers", () => {
  it("06: predicted against true pixels, a panel per configuration with its R²", async () => {
    const truth = [0, 0.001, 0.004, 0.009];
    const figures = await batchNormRegression({
      truth,
      panels: [
        { name: "batch norm, raw labels", r2: -611.4, predicted: [0.05, -0.1, 0.2, 0.01] },
        { name: "batch norm, min-max labels", r2: 0.754, predicted: [0, 0.0012, 0.0035, 0.0095] },
      ],
      setup: "fixed numbers",
    });
    assertEquals(figures.map((f) => f.name), ["predicted-vs-true"]);
    const plot = figure(figures, "predicted-vs-true");
    assertEquals(plot.marks, { line: 2, symbol: 8 }); // y = x and 4 pixels in each of 2 panels
    assertShows(plot, [
      "Held-out pixels, predicted against true: raw vs scaled labels",
      "batch norm, raw labels: R² −611",
      "batch norm, min-max labels: R² 0.75",
      "true pixel value (× 10⁻³)",
      "predicted pixel value (× 10⁻³)",
    ]);
  });
});
