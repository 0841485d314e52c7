/**
 * Runs a kata's tests against the learner's code and records the outcome per step in the progress file
 * (shared by `kata`, `watch` and `start`).
 *
 * @example Usage
 * ```ts ignore
 * import { runAndRecord } from "./record.ts";
 * const { result } = await runAndRecord(kata, {});
 * console.log(result.cases.length);
 * ```
 * @module
 */
import type { Kata } from "../catalog/katas.ts";
import { fingerprint, loadProgress, type RecordedResult, saveProgress } from "./learner_progress.ts";
import { stepTallies } from "./report.ts";
import { type KataResult, runKata, type RunKataOptions } from "./run_kata.ts";

/**
 * What a run means for the progress file: its counts per step, merged into the kata's earlier record when
 * the kata has not changed since (a one-step run updates that step only).
 *
 * @example Usage
 * ```ts ignore
 * import { recordOf } from "./record.ts";
 * const record = recordOf(result, print, undefined);
 * ```
 * @param result The run.
 * @param print The kata's fingerprint when it ran.
 * @param earlier The kata's earlier record, if any.
 * @returns The new record.
 */
export function recordOf(
  result: KataResult,
  print: string,
  earlier: RecordedResult | undefined,
): RecordedResult {
  const same = earlier?.fingerprint === print && result.step !== undefined;
  const steps = same ? { ...earlier.steps } : {};
  const ran = new Set(result.cases.map((c) => c.name));
  const passedTests = [
    ...(same ? earlier.passedTests.filter((name) => !ran.has(name)) : []),
    ...result.cases.filter((c) => c.status === "pass").map((c) => c.name),
  ];
  for (const t of stepTallies(result)) {
    const cases = result.cases.filter((c) => c.step === t.step);
    const failed = cases.find((c) => c.status === "fail");
    const error = cases.some((c) => c.cause === "compile")
      ? "does not compile"
      : cases.some((c) => c.cause === "load")
      ? "a test file did not load"
      : cases.some((c) => c.cause === "crash")
      ? "a test process crashed"
      : undefined;
    steps[String(t.step)] = {
      passed: t.passed,
      total: t.total,
      ...(error ? { error } : {}),
      ...(failed
        ? { firstFailure: { name: failed.name, message: (failed.message ?? "failed").split("\n")[0] } }
        : {}),
    };
  }
  return {
    fingerprint: print,
    steps,
    complete: result.kata.meta.steps.every((_, i) => steps[String(i + 1)] !== undefined),
    passedTests,
    ...(result.step === undefined ? {} : { lastStep: result.step }),
  };
}

/**
 * Runs `kata`'s tests on the learner's files and saves the result.
 *
 * @example Usage
 * ```ts ignore
 * import { runAndRecord } from "./record.ts";
 * const { result, record } = await runAndRecord(kata, { step: 2 });
 * ```
 * @param kata The kata.
 * @param options As for {@linkcode runKata} (the target is always the learner's `katas/`).
 * @returns The run and the record saved for it.
 */
export async function runAndRecord(
  kata: Kata,
  options: Omit<RunKataOptions, "target">,
): Promise<{ result: KataResult; record: RecordedResult }> {
  const print = await fingerprint(kata);
  const result = await runKata(kata, options);
  const progress = await loadProgress();
  const record = recordOf(result, print, progress.results[kata.id]);
  progress.results[kata.id] = record;
  await saveProgress(progress);
  return { result, record };
}
