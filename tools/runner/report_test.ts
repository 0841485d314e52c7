import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { fakeKata } from "../testing/fake_kata.ts";
import { lessonReport, placement } from "./lesson.ts";
import { renderRun } from "./report.ts";
import type { KataResult } from "./run_kata.ts";
import { makeStyle } from "./style.ts";
import { parseTestOutput } from "./test_output.ts";

const kata = fakeKata("99-mini", {}, [
  { title: "Doubling", functions: ["double"], tests: ["double_test.ts"], hints: ["?"] },
  { title: "Tripling", functions: ["triple"], tests: ["triple_test.ts"], hints: ["?"] },
]);
const file = (name: string) => `/r/katas/99-mini/${name}`;
const result: KataResult = {
  kata,
  cases: [
    { name: "kata 99, step 1: doubling > doubles 2", file: file("double_test.ts"), step: 1, status: "pass" },
    {
      name: "kata 99, step 1: doubling > doubles -1",
      file: file("double_test.ts"),
      step: 1,
      status: "fail",
      cause: "test",
      message: "AssertionError: double(-1): Values are not equal.\n\n    [Actual]: 2\n    [Expected]: -2\n" +
        "    at Object.fn (katas/99-mini/double_test.ts:7:3)",
      output: "computing double(-1)",
    },
    {
      name: "kata 99, step 2: tripling > triples 2",
      file: file("triple_test.ts"),
      step: 2,
      status: "fail",
      cause: "compile",
      message: "does not compile (the compiler's errors are above)",
    },
  ],
  compileErrors:
    "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n    at katas/99-mini/triple.ts:2:9",
  loadErrors: [],
  measures: [{ label: "twice three", value: 7 }],
  notes: [],
  raw: [],
};
const calibration = {
  kata: "99-mini",
  backend: "wasm",
  seeds: [1, 2],
  measures: { "twice three": [6, 6] },
  defaultSeed: { seed: 42, measures: { "twice three": 6 } },
};

describe("the run report", () => {
  const text = renderRun(result, { calibration, seed: 42, style: makeStyle(false) });

  it("lists the steps in order with their counts", () => {
    assertStringIncludes(text, "✗ step 1  Doubling  1/2");
    assertStringIncludes(text, "✗ step 2  Tripling  0/1");
  });

  it("shows the compiler's errors once, the first failure whole with what it printed, the others one line", () => {
    assertEquals(text.split("TS2322").length - 1, 1, text);
    assertStringIncludes(
      text,
      "First failure: kata 99, step 1: doubling > doubles -1\n  AssertionError: double(-1)",
    );
    assertStringIncludes(text, "[Expected]: -2");
    assertStringIncludes(text, "It printed:\n    computing double(-1)");
    assertStringIncludes(text, "✗ step 2 › triples 2: does not compile");
    assertStringIncludes(text, "99-mini: 1/3 tests pass");
  });

  it("marks a measurement outside the reference range, beside the reference at the same seed", () => {
    assertStringIncludes(text, "twice three");
    assertStringIncludes(text, "▲ above the reference range");
    assertEquals(placement(6, { min: 6, max: 6 }), "inside");
  });

  it("has no escape codes without colour, and has them with colour", () => {
    assert(!text.includes("\x1b["));
    assert(renderRun(result, { calibration, seed: 42, style: makeStyle(true) }).includes("\x1b[31m"));
  });

  it("says when nothing was measured yet", () => {
    assertStringIncludes(
      lessonReport([], calibration, 42, makeStyle(false)),
      "nothing measured yet — 1 measurements",
    );
  });
});

describe("a test process's output", () => {
  it("gives each test what it printed, and the measurements, which are not printed output", () => {
    const text = [
      "running 1 test from ./a_test.ts",
      "kata 99, step 1: doubling ...",
      "  doubles 2 ...",
      "------- output -------",
      "hello",
      '{"measure":"twice three","value":6,"seed":42}',
      "----- output end -----",
      "  doubles 2 ... ok (1ms)",
      "  doubles -1 ... ok (0ms)",
      "kata 99, step 1: doubling ... ok (3ms)",
    ].join("\n");
    const parsed = parseTestOutput(text);
    assertEquals([...parsed.output], [["kata 99, step 1: doubling > doubles 2", "hello"]]);
    assertEquals(parsed.measures, [{ label: "twice three", value: 6 }]);
  });
});
