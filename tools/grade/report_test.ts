import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import type { KataGrade } from "./grade_kata.ts";
import { toJUnit, xmlEscape } from "./junit.ts";
import { toResults } from "./results.ts";
import { gradeTable } from "./table.ts";

const passed: KataGrade = {
  slug: "01-a",
  title: "A",
  status: "pass",
  points: 10,
  maxPoints: 10,
  seconds: 4.21,
  tests: [{ name: "s > t", status: "pass", points: 10, maxPoints: 10, hidden: false, output: "hi" }],
};
const broken: KataGrade = {
  slug: "02-b",
  title: "B & <b>",
  status: "error",
  message: "the submission does not compile: TS2322 [ERROR]: no\n  at x.ts:1:1",
  points: 0,
  maxPoints: 20,
  seconds: 1,
  tests: [
    {
      name: "s > u",
      status: "error",
      message: "not run: the submission does not compile",
      points: 0,
      maxPoints: 10,
      hidden: false,
    },
    { name: "h > v", status: "error", points: 0, maxPoints: 10, hidden: true },
  ],
};

describe("reports", () => {
  it("results.json follows Exercism v3 and adds kata, points and the score", () => {
    const results = toResults([passed, broken]);
    assertEquals(results.version, 3);
    assertEquals(results.status, "fail");
    assertEquals(results.message, null);
    assertEquals([results.score, results.max_score], [10, 30]);
    assertEquals(results.tests[0], {
      name: "01-a > s > t",
      status: "pass",
      output: "hi",
      kata: "01-a",
      points: 10,
      max_points: 10,
    });
    assertEquals(results.tests[2], {
      name: "02-b > h > v",
      status: "error",
      kata: "02-b",
      points: 0,
      max_points: 10,
      hidden: true,
    });
    assertEquals(results.katas[1].message, broken.message);
    assertEquals(toResults([broken]).status, "error");
    assertEquals(toResults([broken]).message, `02-b: ${broken.message}`);
    assertEquals(toResults([passed]).status, "pass");
  });

  it("JUnit has a suite per kata with points, escaped text, and an error case for a kata with no tests", () => {
    const xml = toJUnit([passed, { ...broken, tests: [] }]);
    assertEquals(
      xml.split("\n")[1],
      '<testsuites name="ml-katas grade" tests="2" failures="0" errors="1" time="5.2">',
    );
    assertEquals(xml.includes('<property name="title" value="B &amp; &lt;b&gt;"/>'), true);
    assertEquals(xml.includes('<error message="the submission does not compile: TS2322 [ERROR]: no">'), true);
    assertEquals(xml.includes("<system-out>hi</system-out>"), true);
    assertEquals(xmlEscape('\x1b[31m"x"'), "[31m&quot;x&quot;");
  });

  it("the table shows one row per kata and the score", () => {
    assertEquals(
      gradeTable([passed, broken]),
      `| kata | status | tests | points | time | note |
|---|---|---|---|---|---|
| 01-a | pass | 1/1 | 10/10 | 4.2 s |  |
| 02-b | error | 0/2 | 0/20 | 1.0 s | the submission does not compile: TS2322 [ERROR]: no |

score: 10 / 30 points`,
    );
  });
});
