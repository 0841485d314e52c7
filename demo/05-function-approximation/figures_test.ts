// Kata 05's figures, drawn from fixed numbers (no experiment runs): each must be a well-formed SVG with the
// expected marks, title and axis labels.
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertShows, figure } from "../figure_assert.ts";
import { drawFigures as functionApproximation } from "./figures.ts";

describe("demo 05: figures from fixed numbers", () => {
  it("05: the truth and two models along x, with the training and shifted ranges shaded", async () => {
    const xs = [-2, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18];
    const figures = await functionApproximation({
      xs,
      curves: [
        { model: "f(x, 0) = sin x", values: xs.map(Math.sin) },
        { model: "MLP", values: xs.map((x) => (x < 6 ? Math.sin(x) : 0.5 * x - 3)) },
        { model: "sin features", values: xs.map(Math.sin) },
      ],
      bands: [{ label: "training range", from: 0, to: 6 }, { label: "shifted test range", from: 12, to: 18 }],
      yRange: [-4, 4],
      setup: "fixed numbers",
    });
    assertEquals(figures.map((f) => f.name), ["extrapolation"]);
    const plot = figure(figures, "extrapolation");
    assertEquals(plot.marks, { rect: 2, line: 3 });
    assertShows(plot, [
      "Outside its training range an MLP continues in a straight line",
      "x (radians), at y = 0",
      "f(x, 0) and the models' predictions",
      "training range",
      "shifted test range",
      "MLP",
      "sin features",
      "π",
      "4π",
    ]);
  });
});
