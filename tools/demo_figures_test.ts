/**
 * Every kata's figures, drawn from fixed numbers (no experiment runs): each must be a
 * well-formed SVG with the expected marks, title and axis labels.
 */
import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { summarizeSvg, type SvgSummary } from "@lib/figures/svg_summary.ts";
import type { Figure } from "../demo/demo.ts";
import { drawFigures as inputScaling } from "../demo/01-input-scaling/figures.ts";
import { drawFigures as overfittingVariance } from "../demo/02-overfitting-variance/figures.ts";
import { drawFigures as embeddingCost, ONE_TABLE } from "../demo/03-embedding-cost/figures.ts";
import { drawFigures as trajectories } from "../demo/04-probable-trajectories/figures.ts";
import { drawFigures as functionApproximation } from "../demo/05-function-approximation/figures.ts";
import { drawFigures as batchNormRegression } from "../demo/06-batchnorm-regression/figures.ts";

/** The figure named `name`, summarised. */
function figure(figures: Figure[], name: string): SvgSummary {
  const found = figures.find((f) => f.name === name);
  assert(found, `no figure "${name}" among ${figures.map((f) => f.name)}`);
  return summarizeSvg(found.svg);
}

/** Asserts that every text in `expected` is shown. */
function assertShows(summary: SvgSummary, expected: string[]): void {
  for (const text of expected) {
    assert(summary.texts.includes(text), `"${text}" is not shown; texts: ${JSON.stringify(summary.texts)}`);
  }
}

describe("demo figures from fixed numbers", () => {
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

  it("03: bytes written and step time against the vocabulary, a line per design", async () => {
    const point = (design: string, vocab: number, value: number) => ({ design, vocab, value });
    const figures = await embeddingCost({
      bytes: [
        point("Adam", 20_000, 87e6),
        point("Adam", 200_000, 870e6),
        point("lazy Adam", 20_000, 24e6),
        point("lazy Adam", 200_000, 24e6),
      ],
      tableBytes: [{ vocab: 20_000, bytes: 5.12e6 }, { vocab: 200_000, bytes: 51.2e6 }],
      times: {
        points: [point("Adam", 20_000, 140), point("Adam", 2_000_000, 4000), point("lazy Adam", 20_000, 60)],
        source: "fixed times",
      },
      setup: "fixed numbers",
    });
    assertEquals(figures.map((f) => f.name), ["bytes-per-step", "step-time"]);
    const bytes = figure(figures, "bytes-per-step");
    assertEquals(bytes.marks, { line: 3, symbol: 6 }); // Adam, lazy Adam and one table; a dot per point
    assertShows(bytes, [
      "What one training step writes, against the vocabulary",
      "vocabulary V (rows of the embedding table, log scale)",
      "bytes written by tfjs kernels per step (MB, log scale)",
      "lazy Adam",
      ONE_TABLE,
      "20,000",
      "200,000",
    ]);
    const time = figure(figures, "step-time");
    assertEquals(time.marks, { line: 2, symbol: 3 });
    assertShows(time, ["time per step (ms, log scale)", "fixed numbers", "fixed times", "2,000,000"]);
  });

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
      "Held-out pixels, predicted against true: raw vs min-max-scaled labels",
      "batch norm, raw labels: R² −611",
      "batch norm, min-max labels: R² 0.75",
      "true pixel value (× 10⁻³)",
      "predicted pixel value (× 10⁻³)",
    ]);
  });
});
