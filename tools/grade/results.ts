/**
 * The grading report as `results.json`, in the shape of Exercism's test-runner interface,
 * version 3 (`version`, `status`, `message`, `tests[]` with `name`, `status`, `message`,
 * `output`), extended with points: each test's `points` / `max_points` and `kata`, a total
 * `score` / `max_score`, and a `katas` summary.
 *
 * @example Usage
 * ```ts
 * import { toResults } from "./results.ts";
 * const results = toResults([{
 *   slug: "01-x", title: "X", status: "pass", points: 10, maxPoints: 10, seconds: 1,
 *   tests: [{ name: "t", status: "pass", points: 10, maxPoints: 10, hidden: false }],
 * }]);
 * console.log(results.status, results.score, results.tests[0].name); // "pass" 10 "01-x > t"
 * ```
 * @module
 */
import type { KataGrade, Status } from "./grade_kata.ts";
import type { Measure } from "./output.ts";
import { describeIsolation, type Isolation, type IsolationMode } from "./isolation.ts";
import { roundPoints } from "../catalog/points.ts";

/** A test in `results.json`. */
export interface ResultTest {
  /** `<kata slug> > <full test name>`. */
  name: string;
  /** pass, fail or error. */
  status: Status;
  /** Why it did not pass (absent for passing and, unless shown, hidden tests). */
  message?: string;
  /** What it printed, at most 500 characters. */
  output?: string;
  /** Extension: what it measured (`lib/testing/measure.ts`), informational only. */
  measures?: Measure[];
  /** Extension: the kata slug. */
  kata: string;
  /** Extension: points earned. */
  points: number;
  /** Extension: points it is worth. */
  max_points: number;
  /** Extension: present and true for a hidden test. */
  hidden?: true;
}

/** A kata's summary in `results.json` (extension). */
export interface ResultKata {
  /** Folder name. */
  slug: string;
  /** Title. */
  title: string;
  /** pass, fail or error. */
  status: Status;
  /** What went wrong besides failing tests. */
  message?: string;
  /** Points earned. */
  points: number;
  /** The kata's points. */
  max_points: number;
  /** Passing tests. */
  tests_passed: number;
  /** All tests. */
  tests_total: number;
  /** Wall-clock seconds spent grading it. */
  seconds: number;
}

/** `results.json`. */
export interface Results {
  /** Exercism interface version. */
  version: 3;
  /** pass: every test passed; error: no test ran at all; fail otherwise. */
  status: Status;
  /** What went wrong, when `status` is error; null otherwise. */
  message: string | null;
  /** Every test of every graded kata, in order. */
  tests: ResultTest[];
  /** Extension: total points earned. */
  score: number;
  /** Extension: total points available. */
  max_score: number;
  /** Extension: per-kata summaries. */
  katas: ResultKata[];
  /** Extension: how graded code was isolated, and in one line what that means. */
  isolation?: { mode: IsolationMode; note: string };
}

/**
 * The grade of a kata that was not graded at all (the grader was interrupted, or failed on it):
 * an error without tests, worth nothing.
 *
 * @example Usage
 * ```ts
 * import { notGraded } from "./results.ts";
 * console.log(notGraded("01-x", "X", 10, "grading was interrupted").status); // "error"
 * ```
 * @param slug The kata's folder name.
 * @param title Its title.
 * @param maxPoints Its points.
 * @param why Why it was not graded.
 * @returns The grade.
 */
export function notGraded(slug: string, title: string, maxPoints: number, why: string): KataGrade {
  return { slug, title, status: "error", message: why, points: 0, maxPoints, tests: [], seconds: 0 };
}

/**
 * Builds `results.json` from the katas' grades.
 *
 * @example Usage
 * ```ts
 * import { toResults } from "./results.ts";
 * console.log(toResults([]).status); // "error"
 * ```
 * @param grades The grades, in kata order.
 * @param isolation How graded code was isolated (reported when given).
 * @returns The report.
 */
export function toResults(grades: KataGrade[], isolation?: Pick<Isolation, "mode" | "reason">): Results {
  const tests = grades.flatMap((g) =>
    g.tests.map((t): ResultTest => ({
      name: `${g.slug} > ${t.name}`,
      status: t.status,
      ...(t.message !== undefined ? { message: t.message } : {}),
      ...(t.output !== undefined ? { output: t.output } : {}),
      ...(t.measures?.length ? { measures: t.measures } : {}),
      kata: g.slug,
      points: roundPoints(t.points),
      max_points: roundPoints(t.maxPoints),
      ...(t.hidden ? { hidden: true as const } : {}),
    }))
  );
  const status: Status = grades.length > 0 && grades.every((g) => g.status === "pass")
    ? "pass"
    : grades.length > 0 && grades.some((g) => g.status !== "error")
    ? "fail"
    : "error";
  const message = status === "error"
    ? grades.map((g) => `${g.slug}: ${g.message ?? "no test ran"}`).join("\n") || "no kata was graded"
    : null;
  return {
    version: 3,
    status,
    message,
    tests,
    score: roundPoints(grades.reduce((sum, g) => sum + g.points, 0)),
    max_score: roundPoints(grades.reduce((sum, g) => sum + g.maxPoints, 0)),
    katas: grades.map((g) => ({
      slug: g.slug,
      title: g.title,
      status: g.status,
      ...(g.message !== undefined ? { message: g.message } : {}),
      points: roundPoints(g.points),
      max_points: roundPoints(g.maxPoints),
      tests_passed: g.tests.filter((t) => t.status === "pass").length,
      tests_total: g.tests.length,
      seconds: Math.round(g.seconds * 10) / 10,
    })),
    ...(isolation ? { isolation: { mode: isolation.mode, note: describeIsolation(isolation) } } : {}),
  };
}
