import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { fakeKata } from "../testing/fake_kata.ts";
import type { TestCase } from "./census.ts";
import { manifestCrossCheck, readmeSteps, stubCalls } from "./manifest_check.ts";

const kata = fakeKata("07-x", {}, [
  { title: "Scale", functions: ["scale"], tests: ["a_test.ts"], hints: ["h"] },
  { title: "Deploy", functions: ["deploy", "Box.open"], tests: ["b_test.ts"], hints: ["h"] },
]);
const README =
  "# X\n\n## Steps\n\nEdit m.ts.\n\n1. **Scale.** Divide by 255.\n2. **Deploy:** export it.\n\n## How to run\n";
const STUB =
  'notImplemented("scale", 1);\nnotImplemented(\n  "deploy",\n  2,\n);\nnotImplemented("Box.open", 2);\n';
const census: TestCase[] = [
  { name: "kata 07, step 1: scale > divides", file: "/r/katas/07-x/a_test.ts", step: 1 },
  { name: "kata 07, step 2: deploy > exports", file: "/r/katas/07-x/b_test.ts", step: 2 },
];

describe("the manifest against the kata", () => {
  it("reads the README's step titles and the stub's notImplemented calls", () => {
    assertEquals(readmeSteps(README), ["Scale", "Deploy"]);
    assertEquals(stubCalls(STUB), [{ name: "scale", step: 1 }, { name: "deploy", step: 2 }, {
      name: "Box.open",
      step: 2,
    }]);
  });

  it("a consistent kata has no problem", () => {
    assertEquals(manifestCrossCheck(kata, { readme: README, stubs: { "m.ts": STUB }, census }), []);
  });

  it("a stub that sends the learner to a README step that does not exist fails (kata 01's step 6)", () => {
    const readme = README.replace("2. **Deploy:** export it.\n", "");
    const stub = `${STUB}notImplemented("withRescaling", 3);\n`;
    assertEquals(manifestCrossCheck(kata, { readme, stubs: { "m.ts": stub }, census }), [
      'katas/07-x/README.md lists 1 steps under "## Steps", kata.json 2; make the numbered list match kata.json\'s steps',
      'katas/07-x/m.ts: notImplemented("withRescaling", 3) sends the learner to step 3, which the kata does not have (steps 1–2)',
    ]);
  });

  it("titles, functions and test steps must agree", () => {
    const readme = README.replace("**Deploy:**", "**Ship it**");
    const stub = STUB.replace('"Box.open", 2', '"Box.open", 1').replace('notImplemented("scale", 1);\n', "");
    const tests = [...census, {
      name: "kata 07, step 1: scale > also",
      file: "/r/katas/07-x/b_test.ts",
      step: 1,
    }, {
      name: "stray > test",
      file: "/r/katas/07-x/a_test.ts",
    }];
    assertEquals(manifestCrossCheck(kata, { readme, stubs: { "m.ts": stub }, census: tests }), [
      'katas/07-x/README.md step 2 is titled "Ship it", kata.json "Deploy"; start the item with **Deploy**',
      'katas/07-x/m.ts: notImplemented("Box.open", 1) names step 1, but kata.json lists "Box.open" first in step 2',
      'kata.json step 1 lists "scale", but no learner module calls notImplemented("scale", …)',
      'kata.json step 1 does not list b_test.ts, which holds its test "kata 07, step 1: scale > also"; add it',
      'katas/07-x/a_test.ts: "stray > test" belongs to no step; name its group "kata 07, step N: …"',
    ]);
  });
});
