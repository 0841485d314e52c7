import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { censusFrom, censusFromTap, matchRun } from "./cases.ts";
import { parseTap } from "./tap.ts";

const complete = parseTap(`# ./k_test.ts
# Subtest: kata
    not ok 1 - adds
    not ok 2 - a > b
    not ok 3 - nested
    ok 4 - skipped # SKIP
    1..4
not ok 1 - kata
# ./hidden_test.ts
not ok 2 - secret
1..2
`);
const junitLeaves = [
  { name: "kata > adds", status: "fail" as const },
  { name: "kata > group > a > b", status: "fail" as const },
  { name: "kata > group > nested", status: "fail" as const },
  { name: "kata > skipped", status: "skip" as const },
  { name: "secret", status: "fail" as const },
];

describe("test cases", () => {
  it("the census keeps full names from JUnit and files from TAP, and leaves out ignored tests", () => {
    assertEquals(censusFrom(junitLeaves, complete, true), [
      { name: "kata > adds", file: "./k_test.ts" },
      { name: "kata > group > a > b", file: "./k_test.ts" },
      { name: "kata > group > nested", file: "./k_test.ts" },
      { name: "secret", file: "./hidden_test.ts" },
    ]);
  });

  it("in a stopped run, only TAP's # SKIP marks an ignored test (Deno reports unfinished ones as skipped)", () => {
    const stopped = parseTap("# ./k_test.ts\n# Subtest: kata\n    ok 1 - adds\nBail out! SIGINT received.\n");
    const leaves = [{ name: "kata > adds", status: "pass" as const }, {
      name: "kata > slow",
      status: "skip" as const,
    }];
    assertEquals(censusFrom(leaves, stopped, false).map((c) => c.name), ["kata > adds", "kata > slow"]);
  });

  it("without JUnit, TAP alone gives top > name for each entry that is not a group", () => {
    assertEquals(censusFromTap(complete).map((c) => c.name), [
      "kata > adds",
      "kata > a > b",
      "kata > nested",
      "secret",
    ]);
  });

  it("matches a run to the census: unreported cases are missing, duplicates keep the worse outcome, strangers are foreign", () => {
    const census = censusFrom(junitLeaves, complete, true);
    const run = parseTap(`# ./k_test.ts
# Subtest: kata
    ok 1 - adds
    1..1
ok 1 - kata
ok 2 - free points
# Subtest: kata
    ok 1 - adds
    not ok 2 - adds
      ---
      {"message":"Error: real one failed"}
      ...
    1..2
not ok 3 - kata
1..3
`);
    const { cases, foreign } = matchRun(census, run);
    assertEquals(cases.map((c) => [c.name, c.status]), [
      ["kata > adds", "fail"],
      ["kata > group > a > b", "missing"],
      ["kata > group > nested", "missing"],
      ["secret", "missing"],
    ]);
    assertEquals(cases[0].message, "Error: real one failed");
    assertEquals(foreign, ["free points"]);
  });
});
