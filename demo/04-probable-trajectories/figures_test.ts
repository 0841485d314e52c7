// Kata 04's figures, drawn from fixed numbers (no experiment runs): each must be a well-formed SVG with the
// expected marks, title and axis labels.
import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { assertShows, figure } from "../figure_assert.ts";
import { drawFigures as trajectories } from "./figures.ts";

describe("demo 04: figures from fixed numbers", () => {
  it("04: a panel of paths per agent, and an occupancy heat-map per future step", async () => {
    const straight = (dx: number): [number, number][] => [[dx * 0.1, 0.1], [dx * 0.2, 0.2]];
    const figures = await trajectories({
      agents: ["turned left", "went straight"].map((title) => ({
        title,
        past: [[0, -0.2], [0, -0.1], [0, 0]],
        truth: straight(-1),
        branches: [straight(-1), straight(0), straight(1)],
        regressor: straight(0),
        samples: [straight(-1), straight(1), straight(0.5)],
      })),
      occupancy: {
        size: 4,
        min: -1,
        max: 1,
        steps: [[0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0.5,
          0.5,
          0,
          0,
          0,
          0,
          0,
        ]],
        title: "fixed grid",
      },
      setup: "fixed numbers",
      bounds: [-0.3, 0.3],
    });
    assertEquals(figures.map((f) => f.name), ["futures", "occupancy"]);
    const paths = figure(figures, "futures");
    assertEquals(paths.marks, { line: 2 * (3 + 3 + 1 + 1 + 1) }); // per agent: 3 samples, 3 branches, past, truth, regressor
    assertShows(paths, [
      "One past, three possible futures: the regressor averages them, the CVAE samples them",
      "turned left",
      "went straight",
      "x (scene units)",
      "y (scene units)",
      "sampled futures (CVAE)",
      "regressor (mean squared error)",
    ]);
    const occupancy = figure(figures, "occupancy");
    assertEquals(occupancy.marks, { rect: 3 }); // the non-empty cells
    assertShows(occupancy, [
      "Where the sampled futures are, step by step (occupancy grid)",
      "future step 2",
      "share of samples",
    ]);
  });
});
