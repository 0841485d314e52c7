/**
 * Gradescope: the results format against a JSON Schema written from Gradescope's autograder
 * specification, and the autograder bundle of the miniature course (with hidden tests) run locally by its
 * own `run_autograder`, against the reference, the stubs, a broken submission and a repository archive.
 */
import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { Ajv } from "ajv";
import { once } from "@lib/testing/once.ts";
import schema from "./gradescope_results.schema.json" with { type: "json" };
import { type GradescopeResults, toGradescope } from "./gradescope.ts";
import { toResults } from "./results.ts";
import { ROOT } from "../catalog/katas.ts";
import { assembleSubmission, assertIncludes, HIDDEN, REPO } from "../testing/grader_data.ts";

const validate = new Ajv({ allErrors: true }).compile(schema);

function assertValid(document: unknown, what: string): void {
  const ok = validate(document);
  assert(ok, `${what}: ${JSON.stringify(validate.errors, null, 2)}`);
}

const TEMP = await Deno.makeTempDir({ prefix: "ml-katas-gradescope-" });

describe("Gradescope's results.json", () => {
  const grades = toResults([
    {
      slug: "01-x",
      title: "X",
      status: "fail",
      message: "timed out after 3 s",
      points: 7.5,
      maxPoints: 10,
      seconds: 3,
      tests: [
        {
          name: "s > a",
          status: "pass",
          points: 2.5,
          maxPoints: 2.5,
          hidden: false,
          measures: [{ label: "challenge: val loss", value: 0.2 }],
          output: "printed",
        },
        {
          name: "s > b",
          status: "fail",
          message: "AssertionError: no",
          points: 0,
          maxPoints: 2.5,
          hidden: false,
        },
        { name: "h > c", status: "pass", points: 5, maxPoints: 5, hidden: true },
      ],
    },
  ], { mode: "permissions", reason: "test" });
  const gs = toGradescope(grades, 12.6);

  it("has the score, time, tests with points, status and visibility, and the leaderboard; it matches the schema", () => {
    assertValid(gs, "converted");
    assertEquals([gs.score, gs.execution_time], [2.5 + 5, 13]);
    assertEquals(gs.tests.map((t) => [t.name, t.score, t.max_score, t.status, t.visibility, t.number]), [
      ["01-x > s > a", 2.5, 2.5, "passed", "visible", "1.1"],
      ["01-x > s > b", 0, 2.5, "failed", "visible", "1.2"],
      ["01-x > h > c", 5, 5, "passed", "after_published", "1.3"],
    ]);
    assertEquals(gs.tests[0].output, "What the code printed:\nprinted");
    assertEquals(gs.tests[1].output, "AssertionError: no");
    assertEquals(gs.tests[2].output, "A hidden test: its details are not shown.");
    assertEquals(gs.leaderboard, [{ name: "01-x val loss", value: 0.2, order: "asc" }]);
    assertIncludes(gs.output, "timed out after 3 s");
  });

  it("the schema rejects what the specification does not allow", () => {
    const bad: [string, unknown][] = [
      ["no score anywhere", { tests: [{ name: "t", max_score: 1 }] }],
      ["a visibility it does not name", { score: 1, tests: [{ score: 1, visibility: "sometimes" }] }],
      ["a status it does not name", { score: 1, tests: [{ score: 1, status: "error" }] }],
      ["a misspelt key", { score: 1, test: [] }],
      ["a test's misspelt key", { score: 1, tests: [{ score: 1, maxscore: 1 }] }],
      ["a leaderboard order", { score: 1, leaderboard: [{ name: "x", value: 1, order: "up" }] }],
      ["a leaderboard entry without value", { score: 1, leaderboard: [{ name: "x" }] }],
      ["a score as text", { score: "1" }],
    ];
    for (const [what, document] of bad) assertEquals(validate(document), false, what);
    assertEquals(validate({ tests: [{ score: 1, max_score: 1 }] }), true, "scores on every test suffice");
    assertEquals(validate({ score: 0 }), true);
  });
});

/** A copy of this repository's tools holding the miniature course's two katas (not a git checkout). */
const bundle = once(async () => {
  const course = join(TEMP, "course");
  await Deno.mkdir(join(course, "katas"), { recursive: true });
  for (const dir of ["tools", "lib"]) await copyTree(join(ROOT, dir), join(course, dir));
  for (const file of ["deno.json", "deno.lock"]) await Deno.copyFile(join(ROOT, file), join(course, file));
  await copyTree(join(REPO, "katas"), join(course, "katas"));
  await Deno.symlink(join(ROOT, "node_modules"), join(course, "node_modules"));
  const out = join(TEMP, "autograder");
  const build = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "tools/tasks/autograder.ts",
      "--out",
      out,
      "--extra-tests",
      HIDDEN,
      "--timeout",
      "60",
    ],
    cwd: course,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(build.stdout) + new TextDecoder().decode(build.stderr);
  assert(build.success, text);
  // setup.sh would install Deno and the dependencies; here they are this checkout's.
  await Deno.symlink(join(ROOT, "node_modules"), join(out, "source", "node_modules"));
  return { out, text };
});

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile) await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** Runs the bundle's `run_autograder` on a submission, as Gradescope would, with its root in `TEMP`. */
async function runAutograder(fill: (dir: string) => Promise<unknown>, env: Record<string, string> = {}) {
  const { out } = await bundle();
  for (const dir of ["submission", "results"]) {
    await Deno.remove(join(out, dir), { recursive: true }).catch(() => {});
  }
  await Deno.mkdir(join(out, "submission"));
  await fill(join(out, "submission"));
  const run = await new Deno.Command(join(out, "source", "run_autograder"), {
    cwd: out,
    env: { AUTOGRADER_ROOT: out, PATH: `${join(Deno.execPath(), "..")}:/usr/bin:/bin`, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
  const results = JSON.parse(
    await Deno.readTextFile(join(out, "results", "results.json")),
  ) as GradescopeResults;
  assertEquals(run.code, 0, log);
  assertValid(results, log);
  return { results, log };
}

/** A zip's entries and their Unix modes, from its central directory (what `unzip` restores). */
function zipEntries(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22; // the end-of-central-directory record, found from the end
  while (end > 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  const entries = new Map<string, number>();
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    const [name, extra, comment] = [28, 30, 32].map((offset) => view.getUint16(at + offset, true));
    entries.set(
      new TextDecoder().decode(zip.subarray(at + 46, at + 46 + name)),
      view.getUint32(at + 38, true) >>> 16,
    );
    at += 46 + name + extra + comment;
  }
  return entries;
}

const scoreOf = (results: GradescopeResults, kata: string) =>
  Math.round(results.tests.filter((t) => t.tags[0] === kata).reduce((s, t) => s + t.score, 0) * 100) / 100;

describe("the autograder bundle", () => {
  it("holds setup.sh and run_autograder (executable) at the root of its zip, the course and the hidden tests, no test data", async () => {
    const { out } = await bundle();
    const entries = zipEntries(await Deno.readFile(join(out, "autograder.zip")));
    const listing = [...entries.keys()];
    for (
      const file of [
        "setup.sh",
        "run_autograder",
        "deno.json",
        "deno.lock",
        "katas/90-probe/probe_test.ts",
        "hidden/91-integrity/cases.json",
        "tools/launch.ts",
        "lib/std_compat/assert.ts",
      ]
    ) {
      assert(listing.includes(file), file);
    }
    // Regular files; the scripts executable once unpacked.
    assertEquals(
      [entries.get("setup.sh"), entries.get("run_autograder"), entries.get("deno.json")],
      [0o100755, 0o100755, 0o100644],
    );
    assertEquals(
      listing.filter((f) => f.startsWith("tools/grade/testdata/") || f.startsWith("solutions/")),
      [],
    );
    for (const script of ["setup.sh", "run_autograder"]) {
      assertEquals((await Deno.stat(join(out, "source", script))).mode! & 0o777, 0o755, script);
    }
    const run = await Deno.readTextFile(join(out, "source", "run_autograder"));
    assertIncludes(run, '--submission "$root/submission" --extra-tests hidden --timeout 60');
  });

  it("grades the reference to full points, hidden tests shown after publishing, with the leaderboard", async () => {
    const { results } = await runAutograder((dir) =>
      assembleSubmission(dir, { "90-probe": "good", "91-integrity": "good" })
    );
    assertEquals(results.score, 20);
    assert(results.tests.every((t) => t.status === "passed"), JSON.stringify(results.tests));
    const hidden = results.tests.filter((t) => t.visibility === "after_published").map((t) => t.name);
    assertEquals(hidden, [
      "90-probe > probe (hidden) > answer is stable",
      "90-probe > probe (hidden) > data is exactly data",
      "91-integrity > integrity (hidden) > looks up a secret",
    ]);
    assertEquals(results.leaderboard, [{ name: "90-probe answer", value: 42, order: "desc" }]);
  });

  it("grades the stubs to 0 with each test's reason, and finds a repository inside an unpacked archive", async () => {
    const stubs = await runAutograder((dir) =>
      assembleSubmission(dir, { "90-probe": "stub", "91-integrity": "stub" })
    );
    assertEquals(stubs.results.score, 0);
    assertEquals(stubs.results.tests.length, 17);
    assertIncludes(stubs.results.tests[0].output, "answer: not implemented");
    const archive = await runAutograder(async (dir) => {
      await Deno.mkdir(join(dir, "ml-katas-main", "katas"), { recursive: true });
      await assembleSubmission(join(dir, "ml-katas-main", "katas"), {
        "90-probe": "half",
        "91-integrity": "good",
      });
    });
    // half: "answers 42" (weight 3) and three more public tests, and one of the two hidden ones, of 11.
    assertEquals(archive.results.score, Math.round((10 * 7 / 11 + 10) * 100) / 100);
    assertEquals(scoreOf(archive.results, "91-integrity"), 10);
  });

  it("grades a broken submission with the compiler's message and a missing kata with what to submit", async () => {
    const { results } = await runAutograder((dir) => assembleSubmission(dir, { "90-probe": "syntax" }));
    assertEquals(results.score, 0);
    assertIncludes(results.output, "does not compile");
    assertIncludes(results.output, "the submission has no 91-integrity/ folder");
  });

  it("still writes a results.json matching the schema when the grader cannot run at all", async () => {
    const { results } = await runAutograder(
      (dir) => assembleSubmission(dir, { "90-probe": "good" }),
      { PATH: "/usr/bin:/bin", DENO_BIN_DIR: join(TEMP, "no-deno-here") },
    );
    assertEquals(results.score, 0);
    assertIncludes(results.output, "could not grade this submission (exit status 127)");
  });

  it("leaves no temporary folder behind", async () => {
    await Deno.remove(TEMP, { recursive: true });
  });
});
