/**
 * The grade of a submission in Gradescope's `results.json` format (its autograder specification: a
 * `score`, the `execution_time`, an `output` for the whole submission, one entry per test with `name`,
 * `score`, `max_score`, `status`, `output` and `visibility`, and a `leaderboard`). `deno task grade
 * --gradescope FILE` writes it; the autograder bundle (`deno task autograder`) runs exactly that.
 *
 * Each test keeps its points; a hidden test (`--extra-tests`) is shown to students only once the
 * assignment's grades are published (`after_published`), by name and status. The leaderboard holds the
 * challenge metrics of passing tests (`gradebook.ts`'s `leaderboardOf`). `gradescope_results.schema.json`
 * beside this module is the documented format as a JSON Schema; the project's tests check against it.
 *
 * @example Usage
 * ```ts
 * import { toGradescope } from "./gradescope.ts";
 * import { toResults } from "./results.ts";
 * const results = toResults([{
 *   slug: "01-x", title: "X", status: "pass", points: 10, maxPoints: 10, seconds: 1,
 *   tests: [{ name: "t", status: "pass", points: 10, maxPoints: 10, hidden: false }],
 * }]);
 * const gs = toGradescope(results, 12.3);
 * console.log(gs.score, gs.execution_time, gs.tests[0].status); // 10 12 "passed"
 * ```
 * @module
 */
import { leaderboardOf } from "./gradebook.ts";
import type { Results } from "./results.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";

/** Visibility of a test or of the output (Gradescope's values). */
export type Visibility = "hidden" | "after_due_date" | "after_published" | "visible";

/** One test in Gradescope's format. */
export interface GradescopeTest {
  /** `<kata> > <suite> > <test>`. */
  name: string;
  /** Points earned. */
  score: number;
  /** Points it is worth. */
  max_score: number;
  /** `passed` or `failed` (an error is a failure). */
  status: "passed" | "failed";
  /** `<kata number>.<test number>`, for Gradescope's order. */
  number: string;
  /** Why it did not pass and what it printed (nothing for a hidden test). */
  output?: string;
  /** The kata's slug. */
  tags: string[];
  /** `visible`, or `after_published` for a hidden test. */
  visibility: Visibility;
  /** What the test measured, when it did. */
  extra_data?: Record<string, unknown>;
}

/** Gradescope's `results.json`. */
export interface GradescopeResults {
  /** Points earned (overrides the tests' total). */
  score: number;
  /** Seconds the grading took. */
  execution_time: number;
  /** The whole submission: a table of the katas, what went wrong, the isolation. */
  output: string;
  /** `md`: the output is Markdown. */
  output_format: "md";
  /** Tests' output is plain text. */
  test_output_format: "text";
  /** The grader's own log is for staff. */
  stdout_visibility: Visibility;
  /** Every test of every kata. */
  tests: GradescopeTest[];
  /** The challenge metrics (absent when there are none). */
  leaderboard?: { name: string; value: number; order: "asc" | "desc" }[];
}

/** How a hidden test's entry reads. */
const HIDDEN_OUTPUT = "A hidden test: its details are not shown.";

/**
 * Converts the grader's results to Gradescope's format (see the module doc).
 *
 * @example Usage
 * ```ts
 * import { toGradescope } from "./gradescope.ts";
 * import { toResults } from "./results.ts";
 * console.log(toGradescope(toResults([]), 0).tests.length); // 0
 * ```
 * @param results The grader's `results.json`.
 * @param seconds How long grading took.
 * @returns Gradescope's `results.json`.
 */
export function toGradescope(results: Results, seconds: number): GradescopeResults {
  const kataIndex = new Map(results.katas.map((k, i) => [k.slug, i + 1]));
  const counters = new Map<string, number>();
  const tests = results.tests.map((t): GradescopeTest => {
    const count = (counters.get(t.kata) ?? 0) + 1;
    counters.set(t.kata, count);
    const output = t.hidden
      ? HIDDEN_OUTPUT
      : [t.message, t.output ? `What the code printed:\n${t.output}` : undefined].filter(Boolean).join(
        "\n\n",
      );
    return {
      name: t.name,
      score: t.points,
      max_score: t.max_points,
      status: t.status === "pass" ? "passed" : "failed",
      number: `${kataIndex.get(t.kata) ?? 0}.${count}`,
      ...(output ? { output } : {}),
      tags: [t.kata],
      visibility: t.hidden ? "after_published" : "visible",
      ...(t.measures?.length && !t.hidden ? { extra_data: { measures: t.measures } } : {}),
    };
  });
  const leaderboard = leaderboardOf(results);
  return {
    score: results.score,
    execution_time: Math.round(seconds),
    output: summary(results),
    output_format: "md",
    test_output_format: "text",
    stdout_visibility: "hidden",
    tests,
    ...(leaderboard.length ? { leaderboard } : {}),
  };
}

function summary(results: Results): string {
  const escape = (text: string) => text.replaceAll("|", "\\|");
  const rows = results.katas.map((k) => [
    escape(`${k.slug}: ${k.title}`),
    k.status,
    `${k.tests_passed}/${k.tests_total}`,
    `${k.points}/${k.max_points}`,
  ]);
  const notes = results.katas.filter((k) => k.message).map((k) =>
    `**${k.slug}**\n\n\`\`\`\n${k.message!.replaceAll("```", "'''")}\n\`\`\``
  );
  return [
    `**Score: ${results.score} / ${results.max_score}**`,
    markdownTable(["kata", "status", "tests", "points"], rows),
    ...notes,
    ...(results.isolation ? [`Graded code ran isolated by ${results.isolation.note}.`] : []),
  ].join("\n\n");
}
