// Kata 02's figures, drawn from fixed numbers (no experiment runs): each must be a well-formed SVG with the
// expected marks, title and axis labels.
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertShows, figure } from "../figure_assert.ts";
import { drawFigures as overfittingVariance } from "./figures.ts";

describe("demo 02: figures from fixed numbers", () => {
  it("02: a dot per run over a box plot, a column per variant", async () => {
    const figures = await overfittingVariance({
      variants: [
        { name: "plain network", accuracies: [0.5, 0.6, 0.6, 0.7] },
        { name: "L2 (λ = 10)", accuracies: [0.9, 0.9, 0.93, 0.9] },
        { name: "RBF SVM", accuracies: [0.8] },
      ],
      setup: "fixed numbers",
    });
    assertEquals(figures.map((f) => f.name), ["accuracy-spread"]);
    const plot = figure(figures, "accuracy-spread");
    // A dot per run; per variant a box and a median tick (rects) and two whiskers (rules).
    assertEquals(plot.marks, { symbol: 9, rect: 6, rule: 6 });
    assertShows(plot, [
      "Validation accuracy of every training run, same data split",
      "fixed numbers",
      "validation accuracy (share correct)",
      "plain network",
      "L2 (λ = 10)",
      "RBF SVM",
    ]);
  });
});
