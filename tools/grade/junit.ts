/**
 * The grading report as JUnit XML for CI systems: one `<testsuite>` per kata (its points as
 * properties, its message in `<system-err>`), one `<testcase>` per test with `<failure>` or
 * `<error>` and the test's output in `<system-out>`. Deno's own JUnit reporter writes one
 * test process's report; this one spans every graded kata and carries the grader's statuses
 * (timeouts, tests that never ran, hidden tests without details).
 *
 * @example Usage
 * ```ts
 * import { toJUnit } from "./junit.ts";
 * const xml = toJUnit([{
 *   slug: "01-x", title: "X", status: "fail", points: 0, maxPoints: 1, seconds: 2,
 *   tests: [{ name: "t", status: "fail", message: "expected 1", points: 0, maxPoints: 1, hidden: false }],
 * }]);
 * console.log(xml.includes('<failure message="expected 1">')); // true
 * ```
 * @module
 */
import type { KataGrade } from "./grade_kata.ts";
import { describeIsolation, type Isolation } from "./isolation.ts";
import { roundPoints } from "../catalog/points.ts";

/**
 * Escapes text for an XML attribute or element, dropping characters XML 1.0 cannot hold.
 *
 * @example Usage
 * ```ts
 * import { xmlEscape } from "./junit.ts";
 * console.log(xmlEscape('a < "b" & \x07c')); // "a &lt; &quot;b&quot; &amp; c"
 * ```
 * @param text Any text.
 * @returns Escaped text.
 */
export function xmlEscape(text: string): string {
  return text
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * Writes the katas' grades as JUnit XML.
 *
 * @example Usage
 * ```ts
 * import { toJUnit } from "./junit.ts";
 * console.log(toJUnit([]).split("\n")[1]); // <testsuites name="ml-katas grade" tests="0" failures="0" errors="0" time="0.0">
 * ```
 * @param grades The grades.
 * @param isolation How graded code was isolated (a property of each suite when given).
 * @returns The XML document.
 */
export function toJUnit(grades: KataGrade[], isolation?: Pick<Isolation, "mode" | "reason">): string {
  // A kata without tests (it never ran) is reported as one errored case named after it.
  const cases = (g: KataGrade) => Math.max(1, g.tests.length);
  const failures = (g: KataGrade) => g.tests.filter((t) => t.status === "fail").length;
  const errors = (g: KataGrade) =>
    g.tests.filter((t) => t.status === "error").length + (g.tests.length ? 0 : 1);
  const sum = (f: (g: KataGrade) => number) => grades.reduce((n, g) => n + f(g), 0);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="ml-katas grade" tests="${sum(cases)}" failures="${sum(failures)}" errors="${
      sum(errors)
    }" time="${sum((g) => g.seconds).toFixed(1)}">`,
  ];
  for (const g of grades) {
    const empty = g.tests.length === 0;
    lines.push(
      `  <testsuite name="${xmlEscape(g.slug)}" tests="${cases(g)}" failures="${failures(g)}" errors="${
        errors(g)
      }" time="${g.seconds.toFixed(1)}">`,
      `    <properties>`,
      `      <property name="title" value="${xmlEscape(g.title)}"/>`,
      `      <property name="points" value="${roundPoints(g.points)}"/>`,
      `      <property name="max_points" value="${roundPoints(g.maxPoints)}"/>`,
      ...(isolation
        ? [`      <property name="isolation" value="${xmlEscape(describeIsolation(isolation))}"/>`]
        : []),
      `    </properties>`,
    );
    if (empty) {
      const message = g.message ?? "no test ran";
      lines.push(
        `    <testcase name="${xmlEscape(g.slug)}" classname="${xmlEscape(g.slug)}">`,
        `      <error message="${xmlEscape(message.split("\n")[0])}">${xmlEscape(message)}</error>`,
        `    </testcase>`,
      );
    }
    for (const t of g.tests) {
      lines.push(`    <testcase name="${xmlEscape(t.name)}" classname="${xmlEscape(g.slug)}">`);
      if (t.status !== "pass") {
        const tag = t.status === "fail" ? "failure" : "error";
        const message = t.message ?? (t.hidden ? "hidden test did not pass" : t.status);
        lines.push(
          `      <${tag} message="${xmlEscape(message.split("\n")[0])}">${xmlEscape(message)}</${tag}>`,
        );
      }
      if (t.output) lines.push(`      <system-out>${xmlEscape(t.output)}</system-out>`);
      lines.push(`    </testcase>`);
    }
    if (g.message) lines.push(`    <system-err>${xmlEscape(g.message)}</system-err>`);
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`, "");
  return lines.join("\n");
}
