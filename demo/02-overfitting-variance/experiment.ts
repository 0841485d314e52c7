/**
 * Kata 02's experiment: on the tests' case–control split (70 training, 30 validation samples × 10,000
 * features), the 2-layer network trained from several initialisation seeds, plain, with L2 (strength chosen
 * on validation as the tests choose it) or on 20 PCA components; the validation accuracy of every run, their
 * spread, and how often two runs disagree. One configuration's runs are {@linkcode trainConfiguration}'s
 * work, which the lab's `run` and the demo both call.
 *
 * @module
 */
import { caseControlStudy, type Study } from "@lib/data/genomics.ts";
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

/** The tests' grids, each strength scored by its mean validation accuracy over the first `choiceSeeds`. */
const PENALTIES = {
  l2: { label: "L2", grid: [1e-4, 1, 3, 10, 15, 20, 30], choiceSeeds: 2 },
  l1: { label: "L1", grid: [1e-3, 1e-2, 0.1, 0.3, 1], choiceSeeds: 1 },
};
/** PCA components (as in the tests). */
const COMPONENTS = 20;

/** The case–control study with the initialisation seeds every configuration is trained from. */
export interface SeededStudy extends Study {
  /** One initialisation seed per run. */
  seeds: number[];
  /** Data, runs and seed, for a chart's subtitle. */
  summary: string;
}

/**
 * The case–control study of this seed, and `runs` initialisation seeds drawn from it.
 *
 * @example Usage
 * ```ts ignore
 * import { seededStudy } from "./experiment.ts";
 * const { train, validation, seeds } = seededStudy(42, 8);
 * ```
 * @param seed The seed behind the data and the initialisation seeds.
 * @param runs How many initialisation seeds.
 * @returns The study, the seeds and a summary.
 */
export function seededStudy(seed: number, runs: number): SeededStudy {
  const study = caseControlStudy(seed);
  const rng = createRng(seed + 1);
  const { train, validation } = study;
  return {
    ...study,
    seeds: Array.from({ length: runs }, () => rng.int(2 ** 31)),
    summary: `${train.samples} training / ${validation.samples} validation samples × ` +
      `${train.features.toLocaleString("en-US")} features; ${runs} initialisation seeds; seed ${seed}`,
  };
}

/** A network configuration: plain, with a penalty chosen on validation, or on PCA components. */
export type Configuration = "plain" | "l2" | "l1" | "pca";

/** A configuration's runs: each one's validation accuracy and predictions. */
export interface ConfigurationRuns extends Variant {
  /** Validation predictions, one array per run. */
  predictions: number[][];
  /** The strength chosen for `l2` and `l1`. */
  strength?: number;
}

/** What {@linkcode trainConfiguration} reports as it goes. */
export interface ConfigurationProgress {
  /** What it is doing. */
  stage: string;
  /** Networks trained so far, out of {@linkcode trainings}. */
  trained: number;
  /** The runs so far, once the first has ended. */
  runs?: ConfigurationRuns;
}

/**
 * How many networks {@linkcode trainConfiguration} trains: the strength choice's, then one per run.
 *
 * @example Usage
 * ```ts ignore
 * import { trainings } from "./experiment.ts";
 * console.log(trainings("l2", 8)); // 22: 7 strengths × 2 seeds, then 8 runs
 * ```
 * @param configuration The configuration.
 * @param runs Initialisation seeds.
 * @returns The number of networks.
 */
export function trainings(configuration: Configuration, runs: number): number {
  const penalty = configuration === "l2" || configuration === "l1" ? PENALTIES[configuration] : undefined;
  return runs + (penalty ? penalty.grid.length * penalty.choiceSeeds : 0);
}

/**
 * Trains the reference network once per initialisation seed in one configuration and scores each run on
 * the validation split; a penalty's strength is first chosen on validation, as the tests choose it.
 *
 * @example Usage
 * ```ts ignore
 * import { seededStudy, trainConfiguration } from "./experiment.ts";
 * const l2 = await trainConfiguration("l2", seededStudy(42, 8));
 * console.log(l2.name, l2.accuracies); // "L2 (λ = 10)", one accuracy per seed
 * ```
 * @param configuration The configuration.
 * @param study The splits and the initialisation seeds.
 * @param onProgress Called before the strength choice and after each run.
 * @returns The runs.
 */
export async function trainConfiguration(
  configuration: Configuration,
  { train, validation, seeds }: SeededStudy,
  onProgress: (update: ConfigurationProgress) => void = () => {},
): Promise<ConfigurationRuns> {
  let [fit, scored, name, trained] = [train, validation, "plain network", 0];
  let options: Omit<TrainOptions, "seed"> = {};
  let strength: number | undefined;
  if (configuration === "l2" || configuration === "l1") {
    const { label, grid, choiceSeeds } = PENALTIES[configuration];
    onProgress({ stage: `choosing the ${label} strength (${grid.join(", ")})`, trained });
    const choice = await chooseStrength(train, validation, configuration, grid, seeds.slice(0, choiceSeeds));
    strength = choice.strength;
    trained += grid.length * choiceSeeds;
    [name, options] = [`${label} (λ = ${strength})`, { [configuration]: strength }];
  } else if (configuration === "pca") {
    const pca = fitPca(train, COMPONENTS);
    [fit, scored, name] = [pca.transform(train), pca.transform(validation), `PCA ${COMPONENTS} + network`];
  }
  const runs: ConfigurationRuns = { name, accuracies: [], predictions: [], strength };
  for (const seed of seeds) {
    const [predicted] = await predictOverSeeds(fit, scored, [seed], options);
    runs.predictions.push(predicted);
    runs.accuracies.push(accuracy(predicted, scored.y));
    onProgress({ stage: `training: ${name}`, trained: ++trained, runs });
  }
  return runs;
}

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
    // The tests' eight seeds: the readings carry their reference ranges.
    const measure = (name: string) => runs === 8 ? { measure: name } : {};
    const study = seededStudy(seed, runs);
    const configurations: Configuration[] = settings.variant === "plain"
      ? ["plain"]
      : ["plain", settings.variant as Configuration];
    const work = configurations.reduce((sum, c) => sum + trainings(c, runs), 0);
    const variants: Variant[] = [];
    const chart = (): Chart => ({
      name: "accuracy-spread",
      spec: varianceFigure({ variants, setup: study.summary }),
    });
    const results: ConfigurationRuns[] = [];
    let done = 0;
    for (const configuration of configurations) {
      const i = results.length;
      results.push(
        await trainConfiguration(configuration, study, (update) => {
          if (update.runs) variants[i] = update.runs;
          onProgress({ fraction: (done + update.trained) / work, stage: update.stage, charts: [chart()] });
        }),
      );
      done += trainings(configuration, runs);
    }
    const [plain, other] = results.map((r) => ({
      ...summarize(r.accuracies),
      disagreement: disagreement(r.predictions),
      strength: r.strength,
    }));
    const readings: Reading[] = [
      { label: "plain: mean validation accuracy", value: plain.mean, ...measure("plain mean") },
      { label: "plain: std over seeds", value: plain.std, ...measure("plain std") },
      {
        label: "plain: share two runs disagree on",
        value: plain.disagreement,
        ...measure("plain disagreement"),
      },
    ];
    if (settings.variant === "l2") {
      readings.push(
        { label: "L2: chosen strength", value: other.strength!, ...measure("L2 chosen strength") },
        { label: "L2: std over seeds", value: other.std, ...measure("L2 std") },
        { label: "L2 − plain mean accuracy", value: other.mean - plain.mean, ...measure("L2 mean gain") },
        {
          label: "L2 / plain disagreement",
          value: other.disagreement / plain.disagreement,
          ...measure("L2/plain disagreement ratio"),
        },
      );
    } else if (settings.variant === "pca") {
      readings.push(
        { label: "PCA-20: mean validation accuracy", value: other.mean, ...measure("PCA-20 mean") },
        { label: "PCA-20: std over seeds", value: other.std, ...measure("PCA-20 std") },
        {
          label: "PCA-20: share two runs disagree on",
          value: other.disagreement,
          ...measure("PCA-20 disagreement"),
        },
      );
    }
    const charts = [chart()];
    onProgress({ fraction: 1, stage: "done", charts, readings });
    return { readings, charts };
  },
};
