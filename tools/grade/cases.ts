/**
 * Which test cases a kata has, and what happened to each in a graded run.
 *
 * The kata's cases come from a complete run (the "census"): Deno's JUnit report gives each
 * leaf's full name (`suite > step`), its TAP stream gives each one's file. A graded run's TAP
 * entries are then matched to those names, so a test the graded code registers itself counts
 * for nothing, and a test that never reported (the run timed out, crashed or never loaded) is
 * still known and can be reported as not run.
 *
 * @example Usage
 * ```ts
 * import { censusFrom, matchRun } from "./cases.ts";
 * import { parseTap } from "./tap.ts";
 * const tap = parseTap("# ./t.ts\nok 1 - a\n1..1\n");
 * const census = censusFrom([{ name: "a", status: "pass" }, { name: "b", status: "pass" }], tap, true);
 * console.log(matchRun(census, tap).cases.map((c) => c.status)); // ["pass", "missing"]
 * ```
 * @module
 */
import type { CaseResult } from "../runner/run_tests.ts";
import type { TapEntry, TapReport } from "./tap.ts";

/** A test case of the kata. */
export interface CensusCase {
  /** Full name, e.g. `01 input scaling > scalePixels maps 0..255 to [0, 1]`. */
  name: string;
  /** Its test module as the TAP stream names it (`./katas/01-x/x_test.ts`), or "" if unknown. */
  file: string;
}

/** A case's outcome in a graded run. */
export interface MatchedCase extends CensusCase {
  /** `missing`: the run never reported it. */
  status: "pass" | "fail" | "missing";
  /** Deno's error message, when failed. */
  message?: string;
}

/** {@linkcode matchRun}'s result. */
export interface MatchedRun {
  /** Every census case, in census order. */
  cases: MatchedCase[];
  /** Top-level tests the run reported that the kata does not have. */
  foreign: string[];
}

function sameCase(name: string, entry: TapEntry): boolean {
  return entry.step
    ? name.startsWith(`${entry.top} > `) && name.endsWith(` > ${entry.name}`)
    : name === entry.name;
}

/**
 * The kata's cases from a run: its JUnit leaves, each with the file its TAP entry names. A test
 * marked `ignore` is not part of the grade: in a complete run that is every skipped leaf; in an
 * interrupted one Deno reports unfinished tests as skipped too, so only those TAP marks `# SKIP`.
 *
 * @example Usage
 * ```ts
 * import { censusFrom } from "./cases.ts";
 * import { parseTap } from "./tap.ts";
 * const tap = parseTap("# ./t.ts\n# Subtest: s\n    not ok 1 - a\n    1..1\nnot ok 1 - s\n1..1\n");
 * console.log(censusFrom([{ name: "s > a", status: "fail" }], tap, true)); // [{ name: "s > a", file: "./t.ts" }]
 * ```
 * @param leaves The leaf cases of the run's JUnit report.
 * @param tap The same run's TAP stream.
 * @param complete Whether the run finished (rather than being stopped).
 * @returns The cases, in report order.
 */
export function censusFrom(leaves: CaseResult[], tap: TapReport, complete: boolean): CensusCase[] {
  const used = new Set<TapEntry>();
  const cases: CensusCase[] = [];
  for (const leaf of leaves) {
    const entry = tap.entries.find((e) => !used.has(e) && sameCase(leaf.name, e));
    if (entry) used.add(entry);
    const ignored = complete ? leaf.status === "skip" : entry?.status === "skip";
    if (!ignored) cases.push({ name: leaf.name, file: entry?.file ?? "" });
  }
  return cases;
}

/**
 * The cases a TAP stream alone reveals, for when no JUnit report exists (the process died):
 * each entry that is not a group, named `top > name` (deeper nesting is lost).
 *
 * @example Usage
 * ```ts
 * import { censusFromTap } from "./cases.ts";
 * import { parseTap } from "./tap.ts";
 * const tap = parseTap("# ./t.ts\n# Subtest: s\n    ok 1 - a\n");
 * console.log(censusFromTap(tap)); // [{ name: "s > a", file: "./t.ts" }]
 * ```
 * @param tap A TAP stream.
 * @returns The cases it shows.
 */
export function censusFromTap(tap: TapReport): CensusCase[] {
  const groups = new Set(tap.entries.filter((e) => e.step).map((e) => e.top));
  return tap.entries
    .filter((e) => e.status !== "skip" && (e.step || !groups.has(e.name)))
    .map((e) => ({ name: e.step ? `${e.top} > ${e.name}` : e.name, file: e.file }));
}

const rank = { missing: 0, pass: 1, fail: 2 } as const;

/**
 * Matches a graded run's TAP entries to the census. A case reported twice (the graded code
 * registered a test of the same name) keeps its worse outcome.
 *
 * @example Usage
 * ```ts
 * import { matchRun } from "./cases.ts";
 * import { parseTap } from "./tap.ts";
 * const tap = parseTap("# ./t.ts\nok 1 - a\nok 2 - extra\n1..2\n");
 * const { cases, foreign } = matchRun([{ name: "a", file: "./t.ts" }], tap);
 * console.log(cases[0].status, foreign); // "pass" ["extra"]
 * ```
 * @param census The kata's cases.
 * @param tap The graded run's TAP stream.
 * @returns Each census case's outcome and the foreign top-level tests.
 */
export function matchRun(census: CensusCase[], tap: TapReport): MatchedRun {
  const cases: MatchedCase[] = census.map((c) => ({ ...c, status: "missing" }));
  const tops = new Set(census.map((c) => c.name.split(" > ")[0]));
  const foreign = new Set<string>();
  const filled = new Set<MatchedCase>();
  for (const entry of tap.entries) {
    if (entry.status === "skip") continue;
    const candidates = cases.filter((c) => sameCase(c.name, entry));
    if (candidates.length === 0) {
      if (
        !entry.step && !tops.has(entry.name) && !census.some((c) => c.name.startsWith(`${entry.name} > `))
      ) {
        foreign.add(entry.name);
      }
      continue;
    }
    const target = candidates.find((c) => !filled.has(c)) ?? candidates[0];
    filled.add(target);
    if (rank[entry.status] > rank[target.status]) {
      target.status = entry.status;
      if (entry.message !== undefined) target.message = entry.message;
    }
  }
  return { cases, foreign: [...foreign] };
}
