import { assertEquals, assertGreater } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { lintWorkflows, validateWorkflowText } from "./workflows.ts";

describe("the GitHub Actions workflows", () => {
  it("every workflow of the repository matches GitHub's schema, the roster's among them", async () => {
    const checked = await lintWorkflows();
    assertEquals(checked.map((c) => [c.file, c.problems]), [
      [".github/workflows/grade-roster.yml", []],
      [".github/workflows/grade.yml", []],
    ]);
  });

  it("a misspelt key, a job without runs-on and a wrong trigger are each reported with where", () => {
    const cases = [
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: [{ run: echo }]\n",
      "on: push\njobs:\n  x:\n    steps: [{ run: echo }]\n",
      "on: pusj\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n",
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    strategy: { matrix: 3 }\n    steps: [{ run: echo }]\n",
    ];
    for (const yaml of cases) assertGreater(validateWorkflowText(yaml).length, 0, yaml);
    assertEquals(validateWorkflowText(cases[0].replace("stepz", "steps")), []);
  });
});
