/**
 * A class's grades from its learners' `results.json`: the gradebook CSV (one row per learner), the same
 * in the shape of Canvas's gradebook import, the leaderboard of the challenge metrics, and a summary of
 * which tests most learners fail. Everything here depends only on the results, never on timing, so a
 * roster graded in one run and the same roster graded in shards and merged give identical files.
 *
 * `gradebook.csv`: `id`, one column per kata (its slug; the points earned), `total`, `status` (`pass`:
 * every test passed, `fail`, `error`: nothing ran), then one `challenge <kata> <metric>` column per
 * challenge metric any learner reported (the value from a passing test; empty otherwise).
 *
 * @example Usage
 * ```ts ignore
 * import { gradebookCsv } from "./gradebook.ts";
 * await Deno.writeTextFile("gradebook.csv", gradebookCsv(katas, rows));
 * ```
 * @module
 */
import { stringify } from "csv-stringify/sync";
import type { Results } from "./results.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";
import { roundPoints } from "../catalog/points.ts";

/** A kata's column. */
export interface KataColumn {
  /** Folder name (`01-input-scaling`), the column's name. */
  slug: string;
  /** Title. */
  title: string;
  /** Its points. */
  maxPoints: number;
}

/** One learner's row: the id and the results. */
export interface LearnerResults {
  /** The learner's id. */
  id: string;
  /** Their `results.json`. */
  results: Results;
}

/** One entry of a leaderboard (Gradescope's shape). */
export interface LeaderboardEntry {
  /** `<kata slug> <metric>`. */
  name: string;
  /** The measured value. */
  value: number;
  /** `desc`: higher ranks higher (the default); `asc`: lower ranks higher. */
  order: "asc" | "desc";
}

/** The label prefix of a challenge metric (`measured("challenge: <metric>", value)`). */
export const CHALLENGE_PREFIX = "challenge: ";

/** Metric names for which lower is better. */
const LOWER_IS_BETTER =
  /\b(loss|error|errors|err|mse|mae|rmse|time|seconds|ms|latency|bytes|size|steps|epochs|cost|lower)\b/i;

/**
 * The leaderboard of one learner's results: every challenge metric (`challenge: <metric>` measures) of a
 * test that passed, named `<kata slug> <metric>`; the last report wins when a metric is reported twice.
 * Lower ranks higher when the metric's name says so (loss, error, time, …). Measurements are
 * informational: they never change a test's status or points.
 *
 * @example Usage
 * ```ts
 * import { leaderboardOf } from "./gradebook.ts";
 * const results = { tests: [{ kata: "01-x", status: "pass", measures: [{ label: "challenge: val loss", value: 0.2 }] }] };
 * console.log(leaderboardOf(results as never)); // [{ name: "01-x val loss", value: 0.2, order: "asc" }]
 * ```
 * @param results A learner's results.
 * @returns The entries, by name.
 */
export function leaderboardOf(results: Pick<Results, "tests">): LeaderboardEntry[] {
  const entries = new Map<string, LeaderboardEntry>();
  for (const test of results.tests) {
    if (test.status !== "pass") continue;
    for (const { label, value } of test.measures ?? []) {
      if (!label.startsWith(CHALLENGE_PREFIX) || !Number.isFinite(value)) continue;
      const metric = label.slice(CHALLENGE_PREFIX.length).trim();
      const name = `${test.kata} ${metric}`;
      entries.set(name, { name, value, order: LOWER_IS_BETTER.test(metric) ? "asc" : "desc" });
    }
  }
  return [...entries.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function kataPoints(results: Results, slug: string): number | undefined {
  return results.katas.find((k) => k.slug === slug)?.points;
}

/**
 * The gradebook CSV (see the module doc), rows in id order.
 *
 * @example Usage
 * ```ts
 * import { gradebookCsv } from "./gradebook.ts";
 * const results = { status: "pass", score: 10, tests: [], katas: [{ slug: "01-x", points: 10 }] };
 * console.log(gradebookCsv([{ slug: "01-x", title: "X", maxPoints: 10 }], [{ id: "ann", results: results as never }]));
 * // "id,01-x,total,status\nann,10,10,pass\n"
 * ```
 * @param katas The graded katas, in order.
 * @param learners Every learner's results.
 * @returns The CSV text.
 */
export function gradebookCsv(katas: KataColumn[], learners: LearnerResults[]): string {
  const boards = learners.map((l) => new Map(leaderboardOf(l.results).map((e) => [e.name, e.value])));
  const metrics = [...new Set(boards.flatMap((b) => [...b.keys()]))].sort();
  const header = [
    "id",
    ...katas.map((k) => k.slug),
    "total",
    "status",
    ...metrics.map((m) => `challenge ${m}`),
  ];
  const rows = sorted(learners).map((learner) => {
    const board = boards[learners.indexOf(learner)];
    return [
      learner.id,
      ...katas.map((k) => kataPoints(learner.results, k.slug) ?? 0),
      roundPoints(learner.results.score),
      learner.results.status,
      ...metrics.map((m) => board.get(m) ?? ""),
    ];
  });
  return stringify([header, ...rows]);
}

/** The columns Canvas's gradebook import identifies students by, in its export's order. */
export const CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"];

/**
 * The gradebook in the shape of Canvas's gradebook export, ready for its import (Grades → Import): the
 * identifying columns, with the learner id as `SIS Login ID`, then one column per kata (`<course> <kata
 * title>`) and the total; a `Points Possible` row under the header gives each column's points.
 *
 * @example Usage
 * ```ts
 * import { canvasCsv } from "./gradebook.ts";
 * const results = { status: "pass", score: 10, tests: [], katas: [{ slug: "01-x", points: 10 }] };
 * console.log(canvasCsv([{ slug: "01-x", title: "X", maxPoints: 10 }], [{ id: "ann", results: results as never }]).split("\n")[2]);
 * // ",,,ann,,10,10"
 * ```
 * @param katas The graded katas, in order.
 * @param learners Every learner's results.
 * @param course The prefix of each assignment column (default `ml-katas`).
 * @returns The CSV text.
 */
export function canvasCsv(katas: KataColumn[], learners: LearnerResults[], course = "ml-katas"): string {
  const header = [
    ...CANVAS_ID_COLUMNS,
    ...katas.map((k) => `${course} ${k.slug.slice(0, 2)} ${k.title}`),
    `${course} total`,
  ];
  const possible = [
    "Points Possible",
    "",
    "",
    "",
    "",
    ...katas.map((k) => k.maxPoints),
    roundPoints(katas.reduce((s, k) => s + k.maxPoints, 0)),
  ];
  const rows = sorted(learners).map((l) => [
    "",
    "",
    "",
    l.id,
    "",
    ...katas.map((k) => kataPoints(l.results, k.slug) ?? 0),
    roundPoints(l.results.score),
  ]);
  return stringify([header, possible, ...rows]);
}

function sorted(learners: LearnerResults[]): LearnerResults[] {
  return learners.toSorted((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A test and how many learners did not pass it. */
export interface FailingTest {
  /** `<kata> > <test>`. */
  name: string;
  /** Learners who did not pass it. */
  failed: number;
  /** Learners graded on it. */
  of: number;
  /** The most frequent first line of its message among them (not for hidden tests). */
  commonMessage?: string;
}

/**
 * The tests most learners do not pass, most first (ties by name).
 *
 * @example Usage
 * ```ts
 * import { failingTests } from "./gradebook.ts";
 * const r = (status: string) => ({ tests: [{ name: "k > t", status, message: "AssertionError: no" }] }) as never;
 * console.log(failingTests([{ id: "a", results: r("fail") }, { id: "b", results: r("pass") }]));
 * // [{ name: "k > t", failed: 1, of: 2, commonMessage: "AssertionError: no" }]
 * ```
 * @param learners Every learner's results.
 * @returns The tests someone did not pass.
 */
export function failingTests(learners: LearnerResults[]): FailingTest[] {
  const stats = new Map<string, { failed: number; of: number; messages: Map<string, number> }>();
  for (const { results } of learners) {
    for (const test of results.tests) {
      const entry = stats.get(test.name) ?? { failed: 0, of: 0, messages: new Map() };
      entry.of++;
      if (test.status !== "pass") {
        entry.failed++;
        const first = test.message?.split("\n")[0].slice(0, 160);
        if (first) entry.messages.set(first, (entry.messages.get(first) ?? 0) + 1);
      }
      stats.set(test.name, entry);
    }
  }
  return [...stats.entries()]
    .filter(([, s]) => s.failed > 0)
    .map(([name, s]) => {
      const common = [...s.messages.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
      return { name, failed: s.failed, of: s.of, ...(common ? { commonMessage: common } : {}) };
    })
    .sort((a, b) => b.failed - a.failed || (a.name < b.name ? -1 : 1));
}

/**
 * The roster's summary in Markdown: the class per kata (mean points, passes), the statuses, the tests
 * most learners fail with their most common message, and the best value of each challenge metric.
 *
 * @example Usage
 * ```ts ignore
 * import { rosterSummary } from "./gradebook.ts";
 * await Deno.writeTextFile("summary.md", rosterSummary(katas, learners, "course 84f4092"));
 * ```
 * @param katas The graded katas.
 * @param learners Every learner's results.
 * @param course The course version graded.
 * @param top How many failing tests to list.
 * @returns The Markdown text.
 */
export function rosterSummary(
  katas: KataColumn[],
  learners: LearnerResults[],
  course: string,
  top = 20,
): string {
  const n = learners.length;
  const perKata = katas.map((k) => {
    const points = learners.map((l) => kataPoints(l.results, k.slug) ?? 0);
    const passed = learners.filter((l) =>
      l.results.katas.find((x) => x.slug === k.slug)?.status === "pass"
    ).length;
    const mean = n ? points.reduce((a, b) => a + b, 0) / n : 0;
    return [k.slug, `${roundPoints(mean)} / ${k.maxPoints}`, `${passed} / ${n}`];
  });
  const statuses = ["pass", "fail", "error"].map((s) =>
    `${learners.filter((l) => l.results.status === s).length} ${s}`
  );
  const failing = failingTests(learners).slice(0, top).map((t) => [
    t.name.replaceAll("|", "\\|"),
    `${t.failed} / ${t.of}`,
    (t.commonMessage ?? "").replaceAll("|", "\\|"),
  ]);
  const best = new Map<string, { value: number; order: string; by: string }>();
  for (const { id, results } of sorted(learners)) {
    for (const entry of leaderboardOf(results)) {
      const now = best.get(entry.name);
      const better = !now || (entry.order === "asc" ? entry.value < now.value : entry.value > now.value);
      if (better) best.set(entry.name, { value: entry.value, order: entry.order, by: id });
    }
  }
  const lines = [
    "# Roster summary",
    "",
    `${n} learners graded against ${course}: ${statuses.join(", ")}.`,
    "",
    markdownTable(["kata", "mean points", "passed"], perKata),
    "",
    "## Tests most learners do not pass",
    "",
    failing.length
      ? markdownTable(["test", "not passed", "most common message"], failing)
      : "Every learner passed every test.",
  ];
  if (best.size) {
    lines.push("", "## Challenge leaderboard (best values)", "");
    lines.push(markdownTable(
      ["metric", "best", "order", "learner"],
      [...best.entries()].sort().map(([name, b]) => [name, String(b.value), b.order, b.by]),
    ));
  }
  return `${lines.join("\n")}\n`;
}
