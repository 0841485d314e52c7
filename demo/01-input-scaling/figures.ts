/**
 * Kata 01's figures, drawn from numbers: training loss per step for raw and scaled
 * inputs, and a row of test images with the classes different models predict.
 *
 * @module
 */
import { grayscalePngUrl, lineChart, renderSvg, type TopLevelSpec } from "@lib/figures/plot.ts";
import type { Figure } from "../demo.ts";

/** One training run's loss after every batch. */
export interface LossCurve {
  /** The run, e.g. "raw pixels · probabilities + categorical CE". */
  run: string;
  /** Loss after batch 1, 2, …. */
  losses: number[];
}

/**
 * Loss per training step, one line per run, on a log axis.
 *
 * @param curves The runs.
 * @param setup A subtitle: data, model, optimiser, seed.
 * @returns The Vega-Lite spec.
 */
export function lossFigure(curves: LossCurve[], setup: string): TopLevelSpec {
  return lineChart({
    title: "Training loss per step: raw vs scaled pixels",
    subtitle: setup,
    points: curves.flatMap((c) => c.losses.map((y, i) => ({ x: i + 1, y, series: c.run }))),
    x: { title: "training step (batch of 64 images)" },
    y: { title: "training loss (nats, log scale)", log: true },
    seriesTitle: "inputs · output and loss",
    width: 520,
  });
}

/** One test image and what several models predict for it. */
export interface ImagePredictions {
  /** 28 × 28 raw pixels, row-major. */
  pixels: ArrayLike<number>;
  /** The true class name. */
  truth: string;
  /** Predicted class name per model, keyed by the model's row label. */
  predicted: Record<string, string>;
}

/**
 * A row of test images; under each, its true class and each model's predicted class,
 * green when right and red when wrong.
 *
 * @param images The images, left to right; every `predicted` has the same keys.
 * @param setup A subtitle: which models the rows are.
 * @returns The Vega-Lite spec.
 */
export function predictionsFigure(images: ImagePredictions[], setup: string): TopLevelSpec {
  const rows = ["true class", ...Object.keys(images[0]?.predicted ?? {})];
  const column = { field: "image", type: "ordinal", axis: null } as const;
  const cells = images.flatMap((image, i) =>
    rows.map((row, r) => {
      const text = r === 0 ? image.truth : image.predicted[row];
      return {
        image: i,
        row,
        text,
        verdict: r === 0 ? "true class" : text === image.truth ? "right" : "wrong",
      };
    })
  );
  const width = 84 * images.length;
  return {
    title: { text: "Test images and the class each model predicts", subtitle: setup },
    vconcat: [
      {
        width,
        height: 76,
        data: {
          values: images.map((image, i) => ({ image: i, url: grayscalePngUrl(image.pixels, 28, 28) })),
        },
        view: { stroke: null },
        mark: { type: "image", width: 72, height: 72, smooth: false, aria: false },
        encoding: { x: column, y: { value: 38 }, url: { field: "url", type: "nominal" } },
      },
      {
        width,
        height: 26 * rows.length,
        data: { values: cells },
        view: { stroke: null },
        mark: { type: "text", fontSize: 11 },
        encoding: {
          x: column,
          y: {
            field: "row",
            type: "ordinal",
            sort: rows,
            title: null,
            axis: { labelFontSize: 12, domain: false, ticks: false },
          },
          text: { field: "text" },
          color: {
            field: "verdict",
            type: "nominal",
            title: "prediction",
            scale: { domain: ["true class", "right", "wrong"], range: ["#222", "#1a7f37", "#cf222e"] },
          },
        },
      },
    ],
    spacing: 4,
  };
}

/** Everything kata 01's figures show. */
export interface InputScalingNumbers {
  /** Loss per step of each training run. */
  curves: LossCurve[];
  /** Test images and each model's predicted class. */
  images: ImagePredictions[];
  /** Data, model, optimiser, epochs and seed, for the loss figure's subtitle. */
  setup: string;
  /** Which models the prediction rows are, for the image figure's subtitle. */
  predictionSetup: string;
}

/**
 * Draws kata 01's figures.
 *
 * @param numbers What the demo measured.
 * @returns `loss-per-step` and `predictions`.
 */
export async function drawFigures(numbers: InputScalingNumbers): Promise<Figure[]> {
  return [
    { name: "loss-per-step", svg: await renderSvg(lossFigure(numbers.curves, numbers.setup)) },
    { name: "predictions", svg: await renderSvg(predictionsFigure(numbers.images, numbers.predictionSetup)) },
  ];
}
