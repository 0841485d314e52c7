/**
 * The grading report for people: a table with one row per kata (status, tests passed, points,
 * the first line of what went wrong) and the total score.
 *
 * @example Usage
 * ```ts
 * import { gradeTable } from "./table.ts";
 * console.log(gradeTable([{
 *   slug: "01-x", title: "X", status: "pass", points: 10, maxPoints: 10, seconds: 3.2,
 *   tests: [{ name: "t", status: "pass", points: 10, maxPoints: 10, hidden: false }],
 * }]));
 * ```
 * @module
 */
import type { KataGrade } from "./grade_kata.ts";
import { describeIsolation, type Isolation } from "./isolation.ts";
import { roundPoints } from "../catalog/points.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";

/** Longest note shown in a table cell. */
const NOTE_LENGTH = 100;

/**
 * Formats the grades as a Markdown table followed by the score line.
 *
 * @example Usage
 * ```ts
 * import { gradeTable } from "./table.ts";
 * console.log(gradeTable([]).split("\n").at(-1)); // "score: 0 / 0 points"
 * ```
 * @param grades The grades.
 * @param isolation How graded code was isolated: one more line when given.
 * @returns The table and the score.
 */
export function gradeTable(grades: KataGrade[], isolation?: Pick<Isolation, "mode" | "reason">): string {
  const rows: string[][] = [];
  for (const g of grades) {
    const passed = g.tests.filter((t) => t.status === "pass").length;
    const firstFailure = g.tests.find((t) => t.status !== "pass");
    const raw = g.message ??
      (firstFailure ? `${firstFailure.name}: ${firstFailure.message ?? firstFailure.status}` : "");
    const oneLine = raw.split("\n")[0];
    const note = oneLine.length > NOTE_LENGTH ? `${oneLine.slice(0, NOTE_LENGTH - 1)}…` : oneLine;
    rows.push([
      g.slug,
      g.status,
      `${passed}/${g.tests.length}`,
      `${roundPoints(g.points)}/${roundPoints(g.maxPoints)}`,
      `${g.seconds.toFixed(1)} s`,
      note,
    ]);
  }
  const score = roundPoints(grades.reduce((s, g) => s + g.points, 0));
  const max = roundPoints(grades.reduce((s, g) => s + g.maxPoints, 0));
  const line = isolation ? `\nisolation: ${describeIsolation(isolation)}` : "";
  const table = markdownTable(["kata", "status", "tests", "points", "time", "note"], rows);
  return `${table}\n\nscore: ${score} / ${max} points${line}`;
}
