/**
 * What `deno task start` says about each kata: "not started" while the learner's files are as published
 * (whatever an earlier run recorded), the recorded result while the kata is unchanged since it ran, and
 * otherwise a fresh run's result; and the words for it ("passed", "failing (3/20)", "error: does not
 * compile (0/20)").
 *
 * @example Usage
 * ```ts
 * import { statusLabel } from "./home.ts";
 * const record = { fingerprint: "f", complete: true, passedTests: [], steps: { "1": { passed: 0, total: 6, error: "does not compile" } } };
 * console.log(statusLabel(record)); // "error: does not compile (0/6)"
 * ```
 * @module
 */
import type { Kata } from "../catalog/katas.ts";
import { type RecordedResult, recordProblems, recordTotals } from "./learner_progress.ts";

/** What {@linkcode kataStatus} needs to find out about a kata. */
export interface StatusProbe {
  /** Whether the learner's files are as published. */
  untouched(kata: Kata): Promise<boolean>;
  /** The kata's fingerprint now. */
  fingerprint(kata: Kata): Promise<string>;
  /** Runs the kata's tests and records the result. */
  run(kata: Kata): Promise<RecordedResult>;
}

/**
 * A kata's status for the home screen.
 *
 * @example Usage
 * ```ts ignore
 * import { kataStatus } from "./home.ts";
 * const status = await kataStatus(kata, progress.results[kata.id], probe);
 * ```
 * @param kata The kata.
 * @param recorded Its last recorded result, if any.
 * @param probe How to look at the kata and run it.
 * @returns "not started", or the (recorded or fresh) result.
 */
export async function kataStatus(
  kata: Kata,
  recorded: RecordedResult | undefined,
  probe: StatusProbe,
): Promise<RecordedResult | "not started"> {
  if (await probe.untouched(kata)) return "not started";
  if (recorded?.complete && recorded.fingerprint === await probe.fingerprint(kata)) return recorded;
  return await probe.run(kata);
}

/**
 * The home screen's words for a status.
 *
 * @example Usage
 * ```ts
 * import { statusLabel } from "./home.ts";
 * console.log(statusLabel("not started")); // "not started"
 * ```
 * @param status A status from {@linkcode kataStatus}.
 * @returns "not started", "passed", "failing (p/t)" or "error: … (p/t)".
 */
export function statusLabel(status: RecordedResult | "not started"): string {
  if (status === "not started") return "not started";
  const { passed, total } = recordTotals(status);
  const { error } = recordProblems(status);
  if (total > 0 && passed === total && !error) return "passed";
  return `${error ? `error: ${error}` : "failing"} (${passed}/${total})`;
}
