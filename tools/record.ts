/**
 * Runs a kata's tests against the learner's code and records the outcome in the
 * progress file (shared by `kata`, `watch` and `start`).
 *
 * @example Usage
 * ```ts ignore
 * import { runAndRecord } from "./record.ts";
 * const result = await runAndRecord(kata, { quiet: false });
 * console.log(`${result.passed}/${result.total}`);
 * ```
 * @module
 */
import type { Kata } from "./katas.ts";
import { fingerprint, loadProgress, type RecordedResult, saveProgress } from "./progress.ts";
import { runKataTests } from "./run_tests.ts";

/**
 * Runs `kata`'s tests on the learner's files and saves the result.
 *
 * @example Usage
 * ```ts ignore
 * import { runAndRecord } from "./record.ts";
 * await runAndRecord(kata, { quiet: true });
 * ```
 * @param kata The kata.
 * @param options `quiet` captures the test output instead of streaming it.
 * @returns The recorded result.
 */
export async function runAndRecord(kata: Kata, options: { quiet: boolean }): Promise<RecordedResult> {
  const print = await fingerprint(kata);
  const run = await runKataTests(kata, { quiet: options.quiet });
  const failed = run.cases.find((c) => c.status === "fail");
  const total = run.cases.length;
  const passed = run.cases.filter((c) => c.status === "pass").length;
  const result: RecordedResult = { fingerprint: print, passed, total };
  if (failed) result.firstFailure = { name: failed.name, message: failed.message ?? "" };
  else if (run.code !== 0 || total === 0) {
    // The module did not load (syntax or type error): no test case ran.
    const reason = run.output.split("\n").find((l) => /error/i.test(l)) ??
      "the tests did not run; see `deno task kata`";
    result.firstFailure = { name: "(the kata did not compile or load)", message: reason.trim() };
  }
  const progress = await loadProgress();
  progress.results[kata.id] = result;
  await saveProgress(progress);
  return result;
}

/**
 * A one-line summary of a result, e.g. "7/12 tests pass".
 *
 * @example Usage
 * ```ts
 * import { summary } from "./record.ts";
 * console.log(summary({ fingerprint: "", passed: 3, total: 4 })); // "3/4 tests pass"
 * ```
 * @param result The result.
 * @returns The summary.
 */
export function summary(result: RecordedResult): string {
  return result.total === 0 ? "did not run" : `${result.passed}/${result.total} tests pass`;
}
