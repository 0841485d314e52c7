import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { parseJUnit } from "./run_tests.ts";

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="5" failures="2" errors="0" time="0.015">
  <testsuite name="./lib/std_compat/bdd.ts" tests="4" disabled="0" errors="0" failures="2">
    <testcase name="suite" classname="x"><failure message="1 test step failed">1 test step failed.</failure></testcase>
    <testcase name="suite &gt; passes" classname="x"></testcase>
    <testcase name="suite &gt; fails" classname="x"><failure message="Uncaught Error: boom
line2">Error: boom</failure></testcase>
    <testcase name="suite &gt; skipped" classname="x"><skipped/></testcase>
  </testsuite>
  <testsuite name="./x_test.ts" tests="1"><testcase name="flat" classname="x"></testcase></testsuite>
</testsuites>`;

describe("JUnit parsing", () => {
  it("keeps leaf cases only, with status and the first lines of the failure", () => {
    assertEquals(parseJUnit(xml), [
      { name: "suite > passes", status: "pass" },
      { name: "suite > fails", status: "fail", message: "Error: boom\nline2" },
      { name: "suite > skipped", status: "skip" },
      { name: "flat", status: "pass" },
    ]);
  });

  it("an empty report has no cases", () => {
    assertEquals(parseJUnit(""), []);
  });
});
