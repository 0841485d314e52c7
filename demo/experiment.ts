/**
 * A kata's experiment as both the demo and the lab run it: the lesson's knobs, a `run` that trains and
 * measures with the reference (or, in the lab, the learner's) code and reports progress and charts while it
 * works, and the readings it ends with. One implementation per kata, in `demo/NN-slug/experiment.ts`: the
 * demo task runs it at default settings and writes its charts as SVG; `deno task lab` runs it in a browser
 * page, on WebGPU or WASM, with the knobs as controls. Nothing in an experiment may use Deno's APIs.
 *
 * @example Usage
 * ```ts ignore
 * import { defaultSettings, type Experiment } from "../experiment.ts";
 * const result = await experiment.run(defaultSettings(experiment), { seed: 42, onProgress: () => {} });
 * ```
 * @module
 */
import type { TopLevelSpec } from "@lib/figures/plot.ts";

/** A control: one choice among a few values (the lesson's knob). */
export interface Knob {
  /** Key in the settings. */
  name: string;
  /** What the control is labelled. */
  label: string;
  /** The values, each with its label. */
  options: { value: string; label: string }[];
  /** The value the demo and a fresh page use. */
  default: string;
}

/** The knobs' values, by name. */
export type Settings = Record<string, string>;

/** A number the experiment measured. */
export interface Reading {
  /** What it is, for people. */
  label: string;
  /** The value. */
  value: number;
  /** The `measured()` label the kata's tests use for the same quantity: its reference range is shown beside. */
  measure?: string;
}

/** A chart: a name (the demo's file name) and a Vega-Lite spec. */
export interface Chart {
  /** File name without extension, e.g. `predicted-vs-true`. */
  name: string;
  /** The Vega-Lite spec. */
  spec: TopLevelSpec;
}

/** What an experiment reports while it works. */
export interface ProgressUpdate {
  /** How far it is, 0 to 1. */
  fraction: number;
  /** What it is doing, e.g. "training: batch norm, raw labels". */
  stage: string;
  /** Charts drawn from what is known so far. */
  charts?: Chart[];
  /** Readings known so far. */
  readings?: Reading[];
}

/** What an experiment is given. */
export interface ExperimentContext {
  /** The seed behind every random draw. */
  seed: number;
  /** Called as the work goes (often: keep it cheap). */
  onProgress(update: ProgressUpdate): void;
  /**
   * Where the data files are served, ending with `/` (the lab: its `data/` folder, beside the page); when
   * absent, an experiment that reads data files takes them from the repository's `fixtures/`.
   */
  dataUrl?: string;
}

/** What an experiment ends with. */
export interface ExperimentResult {
  /** The measured numbers. */
  readings: Reading[];
  /** The charts, in the order the README shows them. */
  charts: Chart[];
}

/** A kata's experiment. */
export interface Experiment {
  /** The lesson in two or three sentences, for the lab page. */
  lesson: string;
  /** The controls. */
  knobs: Knob[];
  /** Runs the experiment with these settings. */
  run(settings: Settings, context: ExperimentContext): Promise<ExperimentResult>;
}

/**
 * Each knob at its default.
 *
 * @example Usage
 * ```ts
 * import { defaultSettings } from "./experiment.ts";
 * const knobs = [{ name: "labels", label: "labels", options: [{ value: "raw", label: "raw" }], default: "raw" }];
 * console.log(defaultSettings({ lesson: "", knobs, run: () => Promise.reject() })); // { labels: "raw" }
 * ```
 * @param experiment The experiment.
 * @returns The default settings.
 */
export function defaultSettings(experiment: Experiment): Settings {
  return Object.fromEntries(experiment.knobs.map((k) => [k.name, k.default]));
}
