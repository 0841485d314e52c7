/**
 * Kata 02's demo: the lab's experiment (`experiment.ts`) on one fixed case–control split (70 training, 30
 * validation samples, 10,000 features): its `trainConfiguration` trains the reference solution's 2-layer
 * network from 20 initialisation seeds in each configuration — plain, L2 and L1 (strength chosen on
 * validation), on 20 PCA components. Beside them, a deterministic RBF SVM (cost chosen by cross-validation),
 * which only the demo runs: the lab does not bundle LIBSVM's WebAssembly build.
 *
 * @module
 */
import { splitRows } from "@lib/data/genomics.ts";
import { svmAccuracy } from "../../solutions/02-overfitting-variance/kernel_svm.ts";
import { summarize } from "../../solutions/02-overfitting-variance/network.ts";
import { selectByCrossValidation } from "../../solutions/02-overfitting-variance/protocol.ts";
import type { Demo } from "../demo.ts";
import {
  type Configuration,
  type SeededStudy,
  seededStudy,
  trainConfiguration,
  trainings,
} from "./experiment.ts";
import { drawFigures, type Variant } from "./figures.ts";

/** Initialisation seeds per network configuration (the tests use 8). */
const RUNS = 20;
/** The network configurations compared, left to right. */
const CONFIGURATIONS: Configuration[] = ["plain", "l2", "l1", "pca"];
/** SVM costs tried by 5-fold cross-validation on training + validation (as in the tests). */
const COSTS = [1, 10];

/**
 * The RBF SVM (γ = 1 / features) with its cost chosen by 5-fold cross-validation on training + validation.
 *
 * @param study The splits.
 * @param seed The seed of the folds.
 * @returns The chosen cost, the accuracy on the validation split and on each fold.
 */
async function svm({ data, train, validation }: SeededStudy, seed: number) {
  const [development] = splitRows(data, [train.samples + validation.samples]);
  const gamma = 1 / train.features;
  const { best: cost, scores } = await selectByCrossValidation(
    development,
    COSTS,
    5,
    seed,
    (c, tr, va) => svmAccuracy(tr, va, { gamma, cost: c }),
  );
  return {
    cost,
    accuracy: await svmAccuracy(train, validation, { gamma, cost }),
    folds: scores[COSTS.indexOf(cost)],
  };
}

/** A table row: mean, std and range of the accuracies (or the one accuracy of a deterministic model). */
function row({ name, accuracies }: Variant, runs = `${accuracies.length}`) {
  if (accuracies.length === 1) {
    return { variant: name, runs, mean: accuracies[0].toFixed(3), std: "deterministic", "min – max": "" };
  }
  const s = summarize(accuracies);
  return {
    variant: name,
    runs,
    mean: s.mean.toFixed(3),
    std: s.std.toFixed(3),
    "min – max": `${s.min.toFixed(3)} – ${s.max.toFixed(3)}`,
  };
}

/** The demo. */
export const demo: Demo = async ({ seed, progress }) => {
  const study = seededStudy(seed, RUNS);
  const variants: Variant[] = [];
  for (const configuration of CONFIGURATIONS) {
    progress.start(configuration, trainings(configuration, RUNS));
    variants.push(await trainConfiguration(configuration, study, ({ trained }) => progress.update(trained)));
    progress.stop();
  }
  progress.start("RBF SVM, cost by 5-fold CV", 1);
  const { cost, accuracy, folds } = await svm(study, seed);
  progress.update(1);
  progress.stop();
  variants.push({ name: `RBF SVM (C = ${cost})`, accuracies: [accuracy] });
  const table = [
    ...variants.map((v) => row(v)),
    // The kata compares the SVM with the network across cross-validation folds; for reference:
    row({ name: `RBF SVM (C = ${cost}), 5-fold CV on train + validation`, accuracies: folds }, "5 folds"),
  ];
  const setup = `${study.summary}; penalties chosen on validation`;
  return { table, figures: await drawFigures({ variants, setup }) };
};
