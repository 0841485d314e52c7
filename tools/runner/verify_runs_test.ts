import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { verifyRuns } from "./verify_runs.ts";
import type { CaseResult } from "./run_tests.ts";

const run = (cases: CaseResult[], code = 0) => ({ cases, code, output: "" });

describe("verify", () => {
  it("a kata keeps its promise when every case fails on the stub and passes on the solution", () => {
    const report = verifyRuns(
      run([{ name: "a", status: "fail" }], 1),
      run([{ name: "a", status: "pass" }, { name: "b", status: "pass" }]),
    );
    assertEquals(report, { total: 2, red: 2, green: 2, problems: [], broken: [] });
  });

  it("a test that passes on the stub is a defect", () => {
    const report = verifyRuns(run([{ name: "a", status: "pass" }]), run([{ name: "a", status: "pass" }]));
    assertEquals(report.problems, ["passes on the stub: a"]);
    assertEquals(report.broken, ["a"]);
  });

  it("a test that fails on the solution is a defect, with its message", () => {
    const report = verifyRuns(run([], 1), run([{ name: "a", status: "fail", message: "boom" }], 1));
    assertEquals(report.problems, ["does not pass on the solution: a — boom"]);
  });
});
