import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { once } from "@lib/testing/once.ts";
import { runGrader } from "./grader.ts";
import { type GradeContext, gradeKata, type KataGrade, runCensus } from "./grade_kata.ts";
import { describeIsolation, detectIsolation } from "./isolation.ts";
import type { Results } from "./results.ts";
import { listKatas } from "../catalog/katas.ts";
import { assertIncludes, assertMatches, DATA, HIDDEN, REPO, submission } from "../testing/grader_data.ts";

const kata = (await listKatas(REPO)).find((k) => k.slug === "90-probe")!;

/** Everything under a folder (path, size, modification time), to show nothing was written there. */
async function snapshot(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const child = join(path, entry.name);
      const info = await Deno.lstat(child);
      found.push(`${child} ${info.size} ${info.mtime?.getTime()}`);
      if (entry.isDirectory) await walk(child);
    }
  };
  await walk(dir);
  return found.sort();
}
const before = await snapshot(DATA);
const OUTSIDE = "/tmp/ml-katas-grade-pwned.txt";
await Deno.remove(OUTSIDE).catch(() => {});

/** The test list, taken once from the stub like the grader does, shared by the gradings below. */
const census = once(() => runCensus(kata, { root: REPO, submission: REPO }));
const hiddenCensus = once(() => runCensus(kata, { root: REPO, submission: REPO, extraTests: HIDDEN }));

async function grade(
  name: string,
  options: Partial<GradeContext> = {},
  showHidden = false,
): Promise<KataGrade> {
  const ctx: GradeContext = {
    root: REPO,
    submission: submission(name),
    census: options.extraTests ? hiddenCensus() : census(),
    ...options,
  };
  return await gradeKata(kata, ctx, showHidden);
}

const byName = (g: KataGrade, name: string) => g.tests.find((t) => t.name === `probe > ${name}`)!;
const PROBES = ["reads data", "writes scratch", "fetches", "spawns", "reads a setting", "loads native code"];

const graded = {
  good: once(() => grade("good")),
  half: once(() => grade("half", { extraTests: HIDDEN })),
  halfShown: once(() => grade("half", { extraTests: HIDDEN }, true)),
  escape: once(() => grade("escape")),
  loop: once(() => grade("loop", { timeoutSeconds: 6 })),
  heap: once(() => grade("heap", { memoryMiB: 300 })),
  buffers: once(() => grade("buffers", { memoryMiB: 400 })),
  exit: once(() => grade("exit")),
  importThrow: once(() => grade("import-throw")),
  syntax: once(() => grade("syntax")),
  types: once(() => grade("types")),
  cheat: once(() => grade("cheat")),
};

// Two at a time (CI machines have two cores); each test below awaits its own grading.
const lanes = [
  [graded.good, graded.half, graded.halfShown, graded.escape, graded.cheat, graded.exit],
  [graded.loop, graded.heap, graded.buffers, graded.importThrow, graded.syntax, graded.types],
].map(async (lane) => {
  for (const grading of lane) await grading().catch(() => {});
});

describe("grading a submission in the sandbox", () => {
  it("a correct submission scores every point, and may read its own files and write to $TMPDIR", async () => {
    const g = await graded.good();
    assertEquals(g.status, "pass", g.message);
    assertEquals(g.points, 10);
    assertEquals(g.tests.map((t) => t.status), Array(7).fill("pass"));
    assertEquals(byName(g, "loads native code").output, "loading nothing native");
  });

  it("partial credit follows kata.json weights; hidden tests report name and status only", async () => {
    const g = await graded.half();
    assertEquals(g.status, "fail");
    // weights: "answers 42" 3, the other six public and two hidden tests 1 each: 3 + 3 passing of 12.
    assertEquals(byName(g, "answers 42").points, 10 * 3 / 11);
    assertEquals(Math.round(g.points * 100) / 100, Math.round(10 * (3 + 3 + 1) / 11 * 100) / 100);
    assertEquals(byName(g, "reads data").status, "fail");
    assertIncludes(byName(g, "reads data").message!, "[Actual]: 'dat'");
    assertEquals(byName(g, "reads a setting").output, "looking at the setting");
    const hidden = g.tests.filter((t) => t.hidden);
    assertEquals(hidden.map((t) => [t.name, t.status]), [
      ["probe (hidden) > answer is stable", "pass"],
      ["probe (hidden) > data is exactly data", "fail"],
    ]);
    assertEquals(hidden[1].message, undefined, "a hidden test's message is not reported");
    const shown = (await graded.halfShown()).tests.find((t) => t.name === hidden[1].name)!;
    assertIncludes(shown.message!, "the secret expectation");
  });

  it("reading /etc/passwd or HOME, writing outside $TMPDIR, the network, processes and FFI are denied", async () => {
    const g = await graded.escape();
    assertEquals(byName(g, "answers 42").status, "pass");
    const denied: Record<string, RegExp> = {
      "reads data": /^permission denied: read access to "\/etc\/passwd"/,
      "writes scratch": /^permission denied: write access to "\/tmp\/ml-katas-grade-pwned.txt"/,
      "fetches": /^permission denied: net access to "127.0.0.1:9" \(graded code has no network access\)/,
      "spawns": /^permission denied: run access to "\/bin\/sh" \(graded code may not start processes\)/,
      "reads a setting": /^permission denied: env access to "HOME" \(graded code may read only the KATA_\*/,
      "loads native code": /^permission denied: ffi access to "libc.so.6"/,
    };
    for (const [test, reason] of Object.entries(denied)) {
      assertEquals(byName(g, test).status, "error", test);
      assertMatches(byName(g, test).message!, reason);
      assertIncludes(byName(g, test).message!, "<submission>/90-probe/probe.ts:", "points at the line");
    }
    assertEquals(g.status, "fail");
    assertIncludes(g.message!, 'the sandbox denied read access to "/etc/passwd"; write access to');
  });

  it("an infinite loop times out; the test before it keeps its points", async () => {
    const g = await graded.loop();
    assertEquals(byName(g, "answers 42").status, "pass");
    assertEquals(g.points, 10 * 3 / 9);
    assertEquals(byName(g, "reads data").message, "timed out: still running after the kata's 6 s limit");
    for (const test of PROBES.slice(1)) {
      assertEquals(byName(g, test).message, "not run: the kata timed out after 6 s");
    }
    assertMatches(g.message!, /^timed out after 6 s while running "probe > reads data"/);
  });

  it("unbounded allocation is stopped by the heap limit, or by the memory watchdog for typed arrays", async () => {
    const heap = await graded.heap();
    assertEquals(byName(heap, "answers 42").status, "pass");
    assertEquals(
      byName(heap, "reads data").message,
      "ran out of memory (JavaScript heap limit 150 MiB) during this test",
    );
    assertEquals(heap.message, "ran out of memory: the JavaScript heap limit is 150 MiB");
    const buffers = await graded.buffers();
    assertEquals(byName(buffers, "answers 42").status, "pass");
    assertEquals(
      byName(buffers, "reads data").message,
      "stopped while running: the test process used more than 400 MiB of memory",
    );
  });

  it("Deno.exit() in a test ends the run, not the grader", async () => {
    const g = await graded.exit();
    assertEquals(byName(g, "answers 42").status, "pass");
    assertEquals(byName(g, "reads data").message, "called Deno.exit(0) during this test");
    assertEquals(byName(g, "fetches").message, "not run: the code under test called Deno.exit(0)");
  });

  it("a throw at import, a syntax error or a type error is an error for the kata, with the reason", async () => {
    const thrown = await graded.importThrow();
    assertEquals(thrown.status, "error");
    assertEquals(thrown.points, 0);
    assertMatches(
      thrown.message!,
      /^katas\/90-probe\/probe_test.ts did not load: Error: the model file is missing\n {4}at <submission>\/90-probe\/probe.ts:11:7$/,
    );
    assertEquals(thrown.tests.length, 7, "the census still lists every test");
    assertIncludes(
      thrown.tests[0].message!,
      "not run: its test module did not load: Error: the model file is missing",
    );
    const syntax = await graded.syntax();
    assertEquals(syntax.status, "error");
    assertMatches(syntax.message!, /^the submission does not compile: SyntaxError: /);
    assertIncludes(syntax.message!, "<submission>/90-probe/probe.ts:4:1");
    const types = await graded.types();
    assertEquals(types.status, "error");
    assertMatches(
      types.message!,
      /^the submission does not compile: TS2322 \[ERROR\]: Type 'string' is not assignable to type 'number'/,
    );
    assertEquals(types.tests.map((t) => t.status), Array(7).fill("error"));
  });

  it("tests the submission registers itself earn nothing, and it cannot replace Deno.test", async () => {
    const g = await graded.cheat();
    assertEquals(g.points, 0);
    assertEquals(g.tests.length, 7);
    assertEquals(
      byName(g, "answers 42").status,
      "fail",
      "its own passing 'answers 42' does not hide the real one",
    );
    assertIncludes(g.message!, "ignored 1 test(s) the kata does not have: free points");
  });

  it("a link in the submission is not followed, and a missing folder is reported", async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.mkdir(join(dir, "90-probe"));
      await Deno.symlink("/etc/passwd", join(dir, "90-probe", "probe.ts"));
      const linked = await gradeKata(kata, { root: REPO, submission: dir, census: census() });
      assertEquals(linked.status, "error");
      assertEquals(linked.message, "the submission lacks 90-probe/probe.ts (a link, not a file)");
      await Deno.remove(join(dir, "90-probe"), { recursive: true });
      const empty = await gradeKata(kata, { root: REPO, submission: dir, census: census() });
      assertEquals(empty.message, "the submission has no 90-probe/ folder");
      assertEquals(
        empty.tests.map((t) => t.message),
        Array(7).fill("not run: the submission has no 90-probe/ folder"),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  it("nothing was written outside the grader's temporary folders", async () => {
    await Promise.all(lanes);
    assertEquals(await snapshot(DATA), before);
    assert(!(await Deno.stat(OUTSIDE).then(() => true, () => false)), `${OUTSIDE} exists`);
  });
});

describe("deno task grade", () => {
  const out = once(() => Deno.makeTempDir({ prefix: "ml-katas-grade-test-" }));
  const cli = async (args: string[]) => {
    const dir = await out();
    const log: string[] = [];
    const code = await runGrader(
      [...args, "--json", join(dir, "results.json"), "--junit", join(dir, "junit.xml")],
      { log: (line) => log.push(line), error: () => {} },
    );
    return { code, log: log.join("\n"), dir };
  };

  it("writes results.json (Exercism v3 with points), JUnit XML and a table; exits 0 whatever the score", async () => {
    const { code, log, dir } = await cli([
      "--root",
      REPO,
      "--kata",
      "90",
      "--submission",
      submission("half"),
      "--extra-tests",
      HIDDEN,
    ]);
    assertEquals(code, 0);
    const results: Results = JSON.parse(await Deno.readTextFile(join(dir, "results.json")));
    assertEquals(results.version, 3);
    assertEquals(results.status, "fail");
    assertEquals(results.message, null);
    assertEquals(results.max_score, 10);
    assertEquals(results.score, 6.36);
    assertEquals(results.katas[0].tests_passed, 5);
    const failing = results.tests.find((t) => t.name === "90-probe > probe > reads data")!;
    assertEquals([failing.status, failing.points, failing.max_points], ["fail", 0, 0.91]);
    assertEquals(results.tests.find((t) => t.hidden && t.status === "fail")?.message, undefined);
    const junit = await Deno.readTextFile(join(dir, "junit.xml"));
    assertIncludes(junit, '<testsuite name="90-probe" tests="9" failures="4" errors="0"');
    assertIncludes(junit, '<failure message="AssertionError: readData(): Values are not equal.">');
    assertIncludes(log, "| 90-probe | fail | 5/9 | 6.36/10 |");
    assertIncludes(log, "score: 6.36 / 10 points");
    const isolation = await detectIsolation("auto");
    assertEquals(results.isolation, { mode: isolation.mode, note: describeIsolation(isolation) });
    assertIncludes(log, `\nisolation: ${describeIsolation(isolation)}`);
    assertIncludes(junit, `<property name="isolation" value="`);
  });

  it("--out puts one submission's results.json and junit.xml in that folder", async () => {
    const folder = join(await out(), "elsewhere");
    const log: string[] = [];
    const code = await runGrader(
      ["--root", REPO, "90", "--submission", submission("syntax"), "--out", folder],
      { log: (line) => log.push(line), error: () => {} },
    );
    assertEquals(code, 0, log.join("\n"));
    const results: Results = JSON.parse(await Deno.readTextFile(join(folder, "results.json")));
    assertEquals(results.katas[0].slug, "90-probe");
    assertIncludes(await Deno.readTextFile(join(folder, "junit.xml")), '<testsuite name="90-probe"');
  });

  it("--fail-under makes a low score exit 1; usage errors exit 2", async () => {
    const low = await cli(["--root", REPO, "90", "--submission", submission("syntax"), "--fail-under", "5"]);
    assertEquals(low.code, 1);
    assertEquals((await cli(["--root", REPO, "--kata", "nope"])).code, 2);
    assertEquals((await cli(["--root", REPO, "--timeout", "soon"])).code, 2);
    assertEquals((await cli(["--root", REPO, "--isolation", "chroot"])).code, 2);
    assertEquals((await cli(["--root", REPO, "--submission", "/no/such/folder"])).code, 2);
    await Deno.remove(await out(), { recursive: true });
  });
});
