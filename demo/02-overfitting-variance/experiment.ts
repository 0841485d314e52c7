/**
 * Kata 02's experiment: on the tests' case–control split (70 training, 30 validation samples × 10,000
 * features), the 2-layer network trained from several initialisation seeds, plain, with L2 (strength chosen
 * on validation as the tests choose it) or on 20 PCA components; the validation accuracy of every run, their
 * spread, and how often two runs disagree.
 *
 * @module
 */
import type { Dataset } from "@lib/data/genomics.ts";
import { caseControlStudy } from "@lib/data/genomics.ts";
import { createRng } from "@lib/core/random.ts";
import {
  accuracy,
  chooseStrength,
  disagreement,
  predictOverSeeds,
  summarize,
  type TrainOptions,
} from "../../solutions/02-overfitting-variance/network.ts";
import { fitPca } from "../../solutions/02-overfitting-variance/pca.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { varianceFigure, type Variant } from "./figures.ts";

/** The tests' L2 grid, each strength scored by its mean over the first two initialisation seeds. */
const L2_GRID = [1e-4, 1, 3, 10, 15, 20, 30];
const L2_CHOICE_SEEDS = 2;
/** PCA components (as in the tests). */
const COMPONENTS = 20;

/** Kata 02's experiment. */
export const experiment: Experiment = {
  lesson: "With 70 samples and 10,000 features, a small network fits the training set from any starting " +
    "point, and which validation samples it gets right depends on the starting point: the same data, eight " +
    "seeds, accuracies spread over 0.2 and two runs disagree on nearly half the samples. An L2 penalty chosen " +
    "on validation makes the runs agree and raises the mean; 20 PCA components help less, because the signal " +
    "is not in the directions of largest variance. Try the knobs: the variant and the number of runs.",
  knobs: [
    {
      name: "variant",
      label: "beside the plain network",
      options: [
        { value: "l2", label: "L2, strength chosen on validation" },
        { value: "pca", label: `network on ${COMPONENTS} PCA components` },
        { value: "plain", label: "nothing (plain only)" },
      ],
      default: "l2",
    },
    {
      name: "runs",
      label: "initialisation seeds",
      options: [{ value: "8", label: "8 (the tests')" }, { value: "20", label: "20" }],
      default: "8",
    },
  ],
  async run(settings, { seed, onProgress }) {
    const runs = Number(settings.runs);
    const tests = runs === 8; // the tests' eight seeds: the readings carry their reference ranges
    const { train, validation } = caseControlStudy(seed);
    const rng = createRng(seed + 1);
    const seeds = Array.from({ length: runs }, () => rng.int(2 ** 31));
    const variants: Variant[] = [];
    const setup = `${train.samples} training / ${validation.samples} validation samples × ` +
      `${train.features.toLocaleString("en-US")} features; ${runs} initialisation seeds; seed ${seed}`;
    const chart = (): Chart => ({ name: "accuracy-spread", spec: varianceFigure({ variants, setup }) });
    const work = runs * (settings.variant === "plain" ? 1 : 2) +
      (settings.variant === "l2" ? L2_GRID.length * L2_CHOICE_SEEDS : 0);
    let done = 0;
    /** Trains one network per seed, drawing each run's accuracy as it comes. */
    const overSeeds = async (
      name: string,
      tr: Dataset,
      va: Dataset,
      options: Omit<TrainOptions, "seed"> = {},
    ) => {
      const variant: Variant = { name, accuracies: [] };
      variants.push(variant);
      const predictions: number[][] = [];
      for (const s of seeds) {
        const [predicted] = await predictOverSeeds(tr, va, [s], options);
        predictions.push(predicted);
        variant.accuracies.push(accuracy(predicted, va.y));
        onProgress({ fraction: ++done / work, stage: `training: ${name}`, charts: [chart()] });
      }
      return { predictions, ...summarize(variant.accuracies) };
    };

    const plain = await overSeeds("plain network", train, validation);
    const readings: Reading[] = [
      {
        label: "plain: mean validation accuracy",
        value: plain.mean,
        ...(tests ? { measure: "plain mean" } : {}),
      },
      { label: "plain: std over seeds", value: plain.std, ...(tests ? { measure: "plain std" } : {}) },
      {
        label: "plain: share two runs disagree on",
        value: disagreement(plain.predictions),
        ...(tests ? { measure: "plain disagreement" } : {}),
      },
    ];
    if (settings.variant === "l2") {
      onProgress({ fraction: done / work, stage: `choosing the L2 strength (${L2_GRID.join(", ")})` });
      const { strength } = await chooseStrength(
        train,
        validation,
        "l2",
        L2_GRID,
        seeds.slice(0, L2_CHOICE_SEEDS),
      );
      done += L2_GRID.length * L2_CHOICE_SEEDS;
      const l2 = await overSeeds(`L2 (λ = ${strength})`, train, validation, { l2: strength });
      readings.push(
        {
          label: "L2: chosen strength",
          value: strength,
          ...(tests ? { measure: "L2 chosen strength" } : {}),
        },
        { label: "L2: std over seeds", value: l2.std, ...(tests ? { measure: "L2 std" } : {}) },
        {
          label: "L2 − plain mean accuracy",
          value: l2.mean - plain.mean,
          ...(tests ? { measure: "L2 mean gain" } : {}),
        },
        {
          label: "L2 / plain disagreement",
          value: disagreement(l2.predictions) / disagreement(plain.predictions),
          ...(tests ? { measure: "L2/plain disagreement ratio" } : {}),
        },
      );
    } else if (settings.variant === "pca") {
      const pca = fitPca(train, COMPONENTS);
      const reduced = await overSeeds(
        `PCA ${COMPONENTS} + network`,
        pca.transform(train),
        pca.transform(validation),
      );
      readings.push(
        {
          label: "PCA-20: mean validation accuracy",
          value: reduced.mean,
          ...(tests ? { measure: "PCA-20 mean" } : {}),
        },
        { label: "PCA-20: std over seeds", value: reduced.std, ...(tests ? { measure: "PCA-20 std" } : {}) },
        {
          label: "PCA-20: share two runs disagree on",
          value: disagreement(reduced.predictions),
          ...(tests ? { measure: "PCA-20 disagreement" } : {}),
        },
      );
    }
    const charts = [chart()];
    onProgress({ fraction: 1, stage: "done", charts, readings });
    return { readings, charts };
  },
};
