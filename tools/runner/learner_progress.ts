/**
 * The learner's progress file, `.kata-progress.json` at the repository root (git-ignored): the hints shown
 * per kata and step, and each kata's last test results per step together with a fingerprint of what they
 * were measured on (the learner's modules, the tests and the manifest), so `start` re-runs only what
 * changed and `hint` knows the first unfinished step.
 *
 * @example Usage
 * ```ts ignore
 * import { loadProgress, saveProgress } from "./learner_progress.ts";
 * const progress = await loadProgress();
 * progress.hints["01"] = { "1": 1 };
 * await saveProgress(progress);
 * ```
 * @module
 */
import { join } from "node:path";
import { type Kata, ROOT } from "../catalog/katas.ts";

/** A step's counts in the last run that included it. */
export interface StepRecord {
  /** Tests passed. */
  passed: number;
  /** Tests of the step. */
  total: number;
  /** Why some of its tests failed without running: "does not compile", "did not load", … */
  error?: string;
  /** Its first failing test, if any. */
  firstFailure?: { name: string; message: string };
}

/** A kata's last recorded results. */
export interface RecordedResult {
  /** {@linkcode fingerprint} of the kata when it ran. */
  fingerprint: string;
  /** Counts per step number, for the steps that ran with this fingerprint. */
  steps: Record<string, StepRecord>;
  /** True when every step ran with this fingerprint (a whole-kata run, or each step on its own). */
  complete: boolean;
  /** The full names of the tests that passed (for points, which may be weighted per test). */
  passedTests: string[];
  /** The step of the last run, when it ran one step alone: where the learner is working. */
  lastStep?: number;
}

/** Everything the progress file holds. */
export interface Progress {
  /** Hints shown so far, by kata id and step number. */
  hints: Record<string, Record<string, number>>;
  /** Last results, by kata id. */
  results: Record<string, RecordedResult>;
}

/** Path of the progress file. */
export const PROGRESS_FILE: string = join(ROOT, ".kata-progress.json");

/**
 * Reads the progress file (empty progress when it does not exist; entries of an older format are dropped).
 *
 * @example Usage
 * ```ts ignore
 * import { loadProgress } from "./learner_progress.ts";
 * console.log((await loadProgress()).hints);
 * ```
 * @param path The file.
 * @returns The progress.
 * @throws {Error} When the file is not JSON, naming it and the fix.
 */
export async function loadProgress(path: string = PROGRESS_FILE): Promise<Progress> {
  let parsed: { hints?: Record<string, unknown>; results?: Record<string, unknown> };
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { hints: {}, results: {} };
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); delete it to start afresh`);
  }
  const hints = Object.fromEntries(
    Object.entries(parsed.hints ?? {}).filter(([, v]) => typeof v === "object" && v !== null),
  ) as Progress["hints"];
  const results = Object.fromEntries(
    Object.entries(parsed.results ?? {}).filter(([, v]) =>
      typeof (v as RecordedResult)?.steps === "object" && Array.isArray((v as RecordedResult).passedTests)
    ),
  ) as Progress["results"];
  return { hints, results };
}

/**
 * Writes the progress file.
 *
 * @example Usage
 * ```ts ignore
 * import { saveProgress } from "./learner_progress.ts";
 * await saveProgress({ hints: {}, results: {} });
 * ```
 * @param progress The progress.
 * @param path The file.
 */
export async function saveProgress(progress: Progress, path: string = PROGRESS_FILE): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(progress, null, 2) + "\n");
}

/**
 * A SHA-256 fingerprint of what a kata's results depend on, as it is on disk now: the learner's modules,
 * the test files, the support modules and the manifest.
 *
 * @example Usage
 * ```ts ignore
 * import { fingerprint } from "./learner_progress.ts";
 * console.log(await fingerprint(kata));
 * ```
 * @param kata The kata.
 * @returns Hex digest.
 */
export async function fingerprint(kata: Kata): Promise<string> {
  const names = ["kata.json", ...kata.modules, ...kata.support, ...kata.tests];
  const parts = await Promise.all(
    names.map(async (name) => `${name}\0${await Deno.readTextFile(join(kata.dir, name)).catch(() => "")}`),
  );
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The totals of a complete record.
 *
 * @example Usage
 * ```ts
 * import { recordTotals } from "./learner_progress.ts";
 * const r = { fingerprint: "", complete: true, passedTests: [], steps: { "1": { passed: 2, total: 3 }, "2": { passed: 1, total: 1 } } };
 * console.log(recordTotals(r)); // { passed: 3, total: 4 }
 * ```
 * @param record A recorded result.
 * @returns Passed and total over its steps.
 */
export function recordTotals(record: RecordedResult): StepRecord {
  const steps = Object.values(record.steps);
  return { passed: steps.reduce((a, s) => a + s.passed, 0), total: steps.reduce((a, s) => a + s.total, 0) };
}

/**
 * The first step problem of a record, in step order: why tests could not run, and the first failing test.
 *
 * @example Usage
 * ```ts
 * import { recordProblems } from "./learner_progress.ts";
 * const r = { fingerprint: "", complete: true, passedTests: [], steps: { "1": { passed: 1, total: 1 }, "2": { passed: 0, total: 1, error: "does not compile" } } };
 * console.log(recordProblems(r).error); // "does not compile"
 * ```
 * @param record A recorded result.
 * @returns The first error and the first failing test, if any.
 */
export function recordProblems(record: RecordedResult): Pick<StepRecord, "error" | "firstFailure"> {
  const steps = Object.entries(record.steps).sort(([a], [b]) => Number(a) - Number(b)).map(([, s]) => s);
  return {
    error: steps.find((s) => s.error)?.error,
    firstFailure: steps.find((s) => s.firstFailure)?.firstFailure,
  };
}

/**
 * How many steps have passed whole.
 *
 * @example Usage
 * ```ts
 * import { stepsDone } from "./learner_progress.ts";
 * const r = { fingerprint: "", complete: true, passedTests: [], steps: { "1": { passed: 1, total: 2 }, "2": { passed: 3, total: 3 } } };
 * console.log(stepsDone(r)); // 1
 * ```
 * @param record A recorded result.
 * @returns The number of steps whose every test passed.
 */
export function stepsDone(record: RecordedResult): number {
  return Object.values(record.steps).filter((s) => s.total > 0 && s.passed === s.total).length;
}

/**
 * The step a learner is working on: the step they last ran alone while it is not done, else the first step
 * not passed whole.
 *
 * @example Usage
 * ```ts
 * import { currentStep } from "./learner_progress.ts";
 * const r = { fingerprint: "", complete: false, passedTests: [], lastStep: 3, steps: { "3": { passed: 0, total: 2 } } };
 * console.log(currentStep(r, 6)); // 3
 * ```
 * @param record The kata's record, if any.
 * @param steps How many steps the kata has.
 * @returns The step, or `undefined` when every step passed.
 */
export function currentStep(record: RecordedResult | undefined, steps: number): number | undefined {
  const last = record?.lastStep;
  const s = last === undefined ? undefined : record!.steps[String(last)];
  if (last !== undefined && (!s || s.passed < s.total)) return last;
  return firstUnfinishedStep(record, steps);
}

/**
 * The first step that has not passed whole according to a record (the first step when nothing is known).
 *
 * @example Usage
 * ```ts
 * import { firstUnfinishedStep } from "./learner_progress.ts";
 * const r = { fingerprint: "", complete: true, passedTests: [], steps: { "1": { passed: 2, total: 2 }, "2": { passed: 0, total: 1 } } };
 * console.log(firstUnfinishedStep(r, 3)); // 2
 * ```
 * @param record The kata's record, if any.
 * @param steps How many steps the kata has.
 * @returns The step number, or `undefined` when every step passed.
 */
export function firstUnfinishedStep(record: RecordedResult | undefined, steps: number): number | undefined {
  for (let step = 1; step <= steps; step++) {
    const s = record?.steps[String(step)];
    if (!s || s.passed < s.total || s.total === 0) return step;
  }
  return undefined;
}
