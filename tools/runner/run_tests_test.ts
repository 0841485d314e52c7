import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { join } from "node:path";
import { describe, it } from "@std/testing/bdd";
import { ROOT, selectKatas } from "../catalog/katas.ts";
import { fakeKata } from "../testing/fake_kata.ts";
import { abortedAfterReport, isCrash, mapLimited, parseJUnit, runKataTests } from "./run_tests.ts";

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
      { name: "suite > fails", status: "fail", message: "Error: boom\nline2", detail: "Error: boom" },
      { name: "suite > skipped", status: "skip" },
      { name: "flat", status: "pass" },
    ]);
  });

  it("an empty report has no cases", () => {
    assertEquals(parseJUnit(""), []);
  });
});

describe("test files side by side", () => {
  it("an abort at exit counts by the report only when the report was written", () => {
    const aborted = { success: false, code: 134, signal: null };
    assertEquals(abortedAfterReport(aborted, true), true);
    assertEquals(abortedAfterReport(aborted, false), false, "no report: the tests did not all run");
    assertEquals(abortedAfterReport({ success: false, code: 1, signal: null }, true), false, "a failure");
    assertEquals(abortedAfterReport({ success: false, code: 139, signal: null }, true), true, "SIGSEGV");
    assertEquals(abortedAfterReport({ success: false, code: 1, signal: "SIGSEGV" }, true), true);
    assertEquals(abortedAfterReport({ success: false, code: 1, signal: "SIGABRT" }, true), true);
    assertEquals(abortedAfterReport({ success: false, code: 137, signal: "SIGKILL" }, true), false, "killed");
  });

  it("a crash is SIGABRT (134) or SIGSEGV (139), by code or signal; a failure or a kill is not", () => {
    assertEquals(isCrash({ code: 134, signal: null }), true);
    assertEquals(isCrash({ code: 139, signal: null }), true);
    assertEquals(isCrash({ code: 1, signal: "SIGABRT" }), true);
    assertEquals(isCrash({ code: 1, signal: "SIGSEGV" }), true);
    assertEquals(isCrash({ code: 0, signal: null }), false);
    assertEquals(isCrash({ code: 1, signal: null }), false);
    assertEquals(isCrash({ code: 137, signal: "SIGKILL" }), false);
    assertEquals(isCrash({ code: 130, signal: "SIGINT" }), false);
  });

  it("mapLimited keeps the order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimited([30, 10, 20, 5, 1], 2, async (ms, i) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return i;
    });
    assertEquals(out, [0, 1, 2, 3, 4]);
    assertEquals(most, 2);
  });

  it("runs each test file of a kata in its own process", async () => {
    const [kata] = await selectKatas(["06"]);
    const files = [...Deno.readDirSync(kata.dir)].filter((e) => e.name.endsWith("_test.ts")).length;
    const run = await runKataTests(kata, {
      target: `${ROOT}/solutions`,
      quiet: true,
      env: { NO_COLOR: "1" },
      args: ["--filter", "no test has this name"],
    });
    assertEquals(run.code, 0, run.output);
    const summaries = run.output.match(/^ok \| 0 passed/gm) ?? [];
    assertEquals(summaries.length, files, `one report per test file expected:\n${run.output}`);
  });

  it("a type error fails only its own test file, with the compiler's message", async () => {
    const root = await Deno.makeTempDir({ prefix: "ml-katas-typecheck-" });
    try {
      const dir = join(root, "katas", "99-demo");
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(join(root, "deno.json"), "{}\n");
      await Deno.writeTextFile(join(dir, "good_test.ts"), `Deno.test("good", () => {});\n`);
      await Deno.writeTextFile(
        join(dir, "bad_test.ts"),
        `const n: number = "not a number";\nDeno.test("bad", () => console.log(n));\n`,
      );
      const tests = ["bad_test.ts", "good_test.ts"];
      const kata = fakeKata("99-demo", { dir, modules: [], tests });
      const run = await runKataTests(kata, { root, quiet: true, env: { NO_COLOR: "1" } });
      assertEquals(run.cases.map((c) => [c.name, c.status]), [["good", "pass"]]);
      assertNotEquals(run.code, 0, "a file that does not type-check must fail the run");
      assert(run.output.includes("TS2322"), `the compiler's error should reach the learner:\n${run.output}`);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
});
