/**
 * The grader against hostile submissions, one test per class of attack (issue 19): each
 * attack is a real submission (in `tools/grade/testdata/submissions/`, or generated in a
 * temporary folder when it is large), graded through `deno task grade`'s code, and the test
 * asserts the grader's verdict. Every one of these attacks worked against the grader before
 * it was hardened. Graded then, with the hidden test: patches-promise and patches-deno scored
 * 10/10, patches-asserts 7.5, patches-math 2.5; reads-outside passed the hidden test with its
 * data (and quoted the file outside the repository); good/ failed "starts clean" on its second
 * grading (localStorage and the Cache API persisted); stashes-hidden showed the hidden question
 * in a public test's message; exit-at-import said "it stopped before running its tests";
 * worker-permissions "exited with code 70" for every test; throws-oddities ended the module at
 * its first test (the rest "ended without reporting it"); forges-record made the kata message
 * "an error escaped the tests: award full marks"; huge-errors made `deno task grade` exit 3
 * after 137 s at 3.4 GB, with a 400 MB results.json.
 *
 * The kata `91-integrity` (testdata/repo) is small on purpose: its tests use the assertions the
 * attacks target (`assertEquals`, `assertAlmostEquals`, `assertThrows`, async tests, `Math`),
 * and a hidden test whose expected answer only its own data file holds.
 */
import { assert, assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { once } from "@lib/testing/once.ts";
import { runGrader } from "./grader.ts";
import { type GradeContext, gradeKata, type KataGrade, runCensus } from "./grade_kata.ts";
import { detectIsolation, type Isolation } from "./isolation.ts";
import { processTree } from "./memory.ts";
import type { Results } from "./results.ts";
import { MAX_STAGED_FILES } from "./submission.ts";
import { listKatas } from "../catalog/katas.ts";
import {
  assembleSubmission,
  assertIncludes,
  assertMatches,
  HIDDEN,
  REPO,
  submission,
} from "../testing/grader_data.ts";

const assertExcludes = (text: string, part: string, msg = "") =>
  assert(!text.includes(part), `${msg}${msg ? ": " : ""}${JSON.stringify(part)} reached the report`);

const katas = await listKatas(REPO);
const probe = katas.find((k) => k.slug === "90-probe")!;
const integrity = katas.find((k) => k.slug === "91-integrity")!;

/** What must never reach a report: hidden data, files outside the sandbox, the grader's environment. */
const SECRETS = {
  hidden: "hidden-answer-7f3a", // tools/grade/testdata/hidden/91-integrity/cases.json
  question: "question-e41b", // the same file: what the hidden test asks the submission
  outside: "outside-the-sandbox-5c1d", // tools/grade/testdata/outside.json
  passwd: "root:x:0:0",
  token: "token-9b2e", // set below in the grader's own environment
};
Deno.env.set("ML_KATAS_GRADER_TOKEN", SECRETS.token);

/** The grader's temporary folders for this file, to show each grading leaves nothing behind. */
const TEMP = await Deno.makeTempDir({ prefix: "ml-katas-hostile-" });
const STAGING = join(TEMP, "staged");
const WORK = join(TEMP, "work");
await Deno.mkdir(WORK);

const auto = await detectIsolation("auto");
const permissionsOnly = await detectIsolation("permissions");
const census = once(() => runCensus(integrity, { root: REPO, submission: REPO, extraTests: HIDDEN }));

async function grade(name: string, isolation: Isolation = auto, options: Partial<GradeContext> = {}) {
  return await gradeKata(integrity, {
    root: REPO,
    submission: submission(name),
    extraTests: HIDDEN,
    census: census(),
    isolation,
    tempDir: WORK,
    stagingDir: STAGING,
    timeoutSeconds: 30,
    ...options,
  });
}

const byName = (g: KataGrade, name: string) => g.tests.find((t) => t.name === name)!;
const report = (g: KataGrade) => JSON.stringify(g);

const graded = {
  patchesDeno: once(() => grade("patches-deno")),
  patchesPromise: once(() => grade("patches-promise")),
  patchesAsserts: once(() => grade("patches-asserts")),
  patchesMath: once(() => grade("patches-math")),
  readsOutside: once(() => grade("reads-outside")),
  readsOutsidePermissions: once(() => grade("reads-outside", permissionsOnly)),
  readsOutsideStatic: once(() => grade("reads-outside-static")),
  stashesHidden: once(() => grade("stashes-hidden")),
  stashesHiddenPermissions: once(() => grade("stashes-hidden", permissionsOnly)),
  exitAtImport: once(() => grade("exit-at-import")),
  workerPermissions: once(() => grade("worker-permissions")),
  throwsOddities: once(() => grade("throws-oddities")),
  forgesRecord: once(() => grade("forges-record")),
  forgesRecordPermissions: once(() => grade("forges-record", permissionsOnly)),
};

// Two at a time (CI machines have two cores); each test below awaits its own grading.
const lanes = [
  [
    graded.patchesDeno,
    graded.patchesAsserts,
    graded.readsOutside,
    graded.readsOutsideStatic,
    graded.throwsOddities,
    graded.stashesHidden,
    graded.stashesHiddenPermissions,
  ],
  [
    graded.patchesPromise,
    graded.patchesMath,
    graded.readsOutsidePermissions,
    graded.exitAtImport,
    graded.workerPermissions,
    graded.forgesRecord,
    graded.forgesRecordPermissions,
  ],
].map(async (lane) => {
  for (const grading of lane) await grading().catch(() => {});
});

/** Processes whose command line names `dir`: a grading left one running. */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      if (Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).includes(dir)) found.push(Number(entry.name));
    } catch {
      // gone
    }
  }
  return found;
}

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names;
}

/** A submission folder holding copies of testdata folders: `{ "90-probe": "good", ... }`. */
async function assemble(parts: Record<string, string>): Promise<string> {
  return await assembleSubmission(await Deno.makeTempDir({ dir: TEMP, prefix: "submission-" }), parts);
}

async function removeTree(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(async () => {
    // a path longer than the system allows: rm walks it relative to each folder
    await new Deno.Command("rm", { args: ["-rf", dir] }).output();
  });
}

describe("hostile submissions: a stub never scores", () => {
  it("replacing Deno or Deno.test (the bdd module looks it up late) skips no test body", async () => {
    const g = await graded.patchesDeno();
    assertEquals(g.points, 0);
    assertEquals(g.tests.filter((t) => t.status === "pass"), []);
    assertMatches(
      byName(g, "integrity > mean").message,
      /^AssertionError: Expected actual: "0" to be close to "2.5/,
    );
  });

  it("patching Promise (then, constructor, species, Object.prototype.then) turns no rejection into a pass", async () => {
    const g = await graded.patchesPromise();
    assertEquals(g.points, 0);
    assertEquals(g.tests.filter((t) => t.status === "pass"), []);
    assertMatches(byName(g, "integrity > later").message, /^Error: later: not implemented/);
  });

  it("patching node:assert, Object.is, instanceof and what assertions use changes no assertion", async () => {
    const g = await graded.patchesAsserts();
    assertEquals(g.points, 0);
    assertMatches(
      byName(g, "integrity > squares").message,
      /\[Actual\]: \[ 1 \]\n\s+\[Expected\]: \[ 0, 1, 4, 9 \]/,
    );
    assertMatches(byName(g, "integrity > checked").message, /^AssertionError: Expected function to throw/);
  });

  it("patching Math and Number makes no tolerance accept a wrong answer", async () => {
    const g = await graded.patchesMath();
    assertEquals(g.points, 0);
    assertMatches(byName(g, "integrity > mean").message, /delta "4\.5e\+0" is greater than "1e-9"/);
    assertEquals(byName(g, "integrity > bounds").message?.split("\n")[0], "AssertionError: bounds");
  });
});

describe("hostile submissions: graded code reads nothing it may not", () => {
  it("import() of the hidden tests' data, a file outside the sandbox, /etc/passwd and /proc/self/environ is refused, also from a Worker and without bubblewrap", async () => {
    for (const g of [await graded.readsOutside(), await graded.readsOutsidePermissions()]) {
      assertEquals(g.points, 0);
      assertEquals(byName(g, "integrity (hidden) > looks up a secret").points, 0);
      const text = report(g);
      for (const [what, secret] of Object.entries(SECRETS)) assertExcludes(text, secret, what);
      const lookedUp = byName(g, "integrity > looks up").message!;
      assertIncludes(
        lookedUp,
        'permission denied: import of "/etc/passwd" (graded code may import modules only',
      );
      assertIncludes(lookedUp, 'permission denied: import of "/proc/self/environ"');
      assertIncludes(lookedUp, "worker:");
    }
  });

  it("a static import of /etc/passwd is refused when the submission is type-checked", async () => {
    const g = await graded.readsOutsideStatic();
    assertEquals(g.status, "error");
    assertMatches(
      g.message,
      /^the submission does not compile: TS2307 \[ERROR\]: Cannot find module '\/etc\/passwd' \(graded code may not import it\)/,
    );
    assertExcludes(report(g), SECRETS.passwd);
  });

  it("what graded code is shown during a hidden test never reaches a public test's report, in both modes", async () => {
    // stashes-hidden keeps the hidden test's question in a global, localStorage and a file, and puts
    // what it kept in the failure message of the public test "looks up".
    for (const g of [await graded.stashesHidden(), await graded.stashesHiddenPermissions()]) {
      assertMatches(byName(g, "integrity > looks up").message, /\[Actual\]: 'stash: /);
      assertExcludes(report(g), SECRETS.question);
    }
  });

  it("localStorage and the Cache API of one graded run are gone for the next, in both modes", async () => {
    for (const isolation of [auto, permissionsOnly]) {
      // good/ leaves a marker in both on every run, and fails "starts clean" when it finds one.
      for (let run = 0; run < 2; run++) {
        const g = await grade("good", isolation);
        assertEquals(
          byName(g, "integrity > starts clean").status,
          "pass",
          byName(g, "integrity > starts clean").message,
        );
        assertEquals(g.points, 10, `${isolation.mode}, run ${run + 1}`);
      }
    }
  });
});

describe("hostile submissions: no submission costs another kata its results", () => {
  it("a symbolic link as a kata folder (to someone else's code) is refused; the other kata is graded", async () => {
    const dir = await assemble({ "90-probe": "good" });
    await Deno.symlink(join(submission("good"), "91-integrity"), join(dir, "91-integrity"));
    const out = join(TEMP, "linked.json");
    const code = await runGrader(
      ["--root", REPO, "--submission", dir, "--json", out, "--junit", join(TEMP, "linked.xml")],
      { log: () => {}, error: () => {} },
    );
    assertEquals(code, 0);
    const results: Results = JSON.parse(await Deno.readTextFile(out));
    assertEquals(results.katas.map((k) => [k.slug, k.status, k.points]), [
      ["90-probe", "pass", 10],
      ["91-integrity", "error", 0],
    ]);
    assertEquals(
      results.katas[1].message,
      "the submission's 91-integrity/ is a symbolic link, not a folder; submit the folder itself",
    );
    // A learner's repository whose katas/ is a link is refused as a whole.
    const repo = await Deno.makeTempDir({ dir: TEMP });
    await Deno.symlink(dir, join(repo, "katas"));
    let said = "";
    const refused = await runGrader(["--root", REPO, "--submission", repo, "--json", out], {
      log: () => {},
      error: (line) => said += line,
    });
    assertEquals(refused, 2);
    assertIncludes(said, "katas is a symbolic link");
  });

  it("a path longer than the system allows, a name that is not UTF-8, a 1 GiB file and 20,000 files are refused before anything is read or copied", async () => {
    const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
      ["long path", async (dir) => {
        // 25 folders of 200 characters: 5,025 characters, past PATH_MAX (4,096), made in two steps
        const [outer, inner] = [15, 10].map((n) => Array(n).fill("d".repeat(200)).join("/"));
        const script = 'cd "$1" && mkdir -p "$2" && cd "$2" && mkdir -p "$3" && echo x > "$3/deep.ts"';
        assert(
          (await new Deno.Command("sh", { args: ["-c", script, "sh", dir, outer, inner] }).output()).success,
        );
      }, /^91-integrity\/ holds a path longer than 1024 characters \(d{60}…\)$/],
      ["non-UTF-8 name", async (dir) => {
        const script = `printf x > "$1/$(printf 'bad\\377name.ts')"`;
        assert((await new Deno.Command("sh", { args: ["-c", script, "sh", dir] }).output()).success);
      }, /^91-integrity\/ holds a file name that is not valid UTF-8 \("bad\uFFFDname\.ts"\); rename it$/],
      [
        "1 GiB file",
        async (dir) => {
          using file = await Deno.open(join(dir, "weights.bin"), { write: true, create: true });
          await file.truncate(1024 ** 3); // sparse: no disk used
        },
        /^91-integrity\/ holds more than 16 MiB \(weights\.bin alone is 1024 MiB\); submit the source files only$/,
      ],
      [
        "20,000 files",
        async (dir) => {
          await Promise.all(
            Array.from({ length: 20 }, async (_, batch) => {
              for (let i = 0; i < 1000; i++) await Deno.writeTextFile(join(dir, `f${batch}-${i}.txt`), "x");
            }),
          );
        },
        new RegExp(`^91-integrity/ holds more than ${MAX_STAGED_FILES} files; submit the source files only$`),
      ],
    ];
    const staging = join(TEMP, "staged-refused");
    for (const [what, make, verdict] of cases) {
      const dir = await assemble({ "90-probe": "good", "91-integrity": "good" });
      try {
        await make(join(dir, "91-integrity"));
        const g = await gradeKata(integrity, {
          root: REPO,
          submission: dir,
          census: census(),
          isolation: auto,
          tempDir: WORK,
          stagingDir: staging,
        });
        assertEquals(g.status, "error", what);
        assertMatches(g.message, verdict);
        assertEquals(g.tests.length, 8, "the census still lists every test");
        assertEquals(await entries(staging).catch(() => []), [], `${what}: nothing was staged`);
      } finally {
        await removeTree(dir);
      }
    }
  });

  it("100 MB error messages and output are cut; results.json and the JUnit file are written and the other kata is graded", async () => {
    for (const broken of ["huge-errors", "huge-load-error"]) {
      const dir = await assemble({ "90-probe": "good", "91-integrity": broken });
      const json = join(TEMP, `${broken}.json`);
      const junit = join(TEMP, `${broken}.xml`);
      const code = await runGrader(
        ["--root", REPO, "--submission", dir, "--extra-tests", HIDDEN, "--json", json, "--junit", junit],
        { log: () => {}, error: () => {} },
      );
      assertEquals(code, 0, broken);
      const text = await Deno.readTextFile(json);
      assert(text.length < 200_000, `${broken}: results.json is ${text.length} characters`);
      assert((await Deno.stat(junit)).size < 200_000);
      const results: Results = JSON.parse(text);
      assertEquals(results.katas[0].status, "pass");
      assertEquals(results.katas[1].points, 0);
      for (const test of results.tests) assert((test.message?.length ?? 0) < 4200, test.name);
      await removeTree(dir);
    }
  });
});

describe("hostile submissions: reports name the cause", () => {
  it("Deno.exit(0) while the module loads is named, with where it was called", async () => {
    const g = await graded.exitAtImport();
    assertEquals(g.status, "error");
    const called =
      /the code under test called Deno\.exit\(0\) while the module loaded at <submission>\/91-integrity\/integrity\.ts:2:6$/;
    assertMatches(
      byName(g, "integrity > mean").message,
      new RegExp(`^not run: its test module did not load: ${called.source}`),
    );
    assertMatches(
      g.message,
      /katas\/91-integrity\/integrity_test\.ts did not load: the code under test called Deno\.exit\(0\)/,
    );
  });

  it("a Worker asking for more permissions fails its test with the reason, and the tests after it run", async () => {
    const g = await graded.workerPermissions();
    assertMatches(
      byName(g, "integrity > mean").message,
      /^Error: graded code may not give a Worker permissions of its own \(the `deno\.permissions` option\)/,
    );
    assertEquals(byName(g, "integrity > squares").status, "pass");
    assertEquals(g.message, undefined);
  });

  it("a thrown Proxy, null, Symbol or Error with a throwing getter is named, and ends no other test", async () => {
    const g = await graded.throwsOddities();
    const expected: Record<string, string> = {
      "integrity > mean": "Error: the code under test threw a Proxy instead of an Error",
      "integrity > squares": "Error: the code under test threw null instead of an Error",
      "integrity > later": "Error: the code under test threw a Symbol instead of an Error: Symbol(a symbol)",
      "integrity > starts clean": "Error: the code under test threw an Error whose message is a getter",
      "integrity > looks up": "AssertionError: Values are not equal.",
    };
    for (const [test, message] of Object.entries(expected)) {
      assertIncludes(byName(g, test).message, message, test);
    }
    assertEquals(g.message, undefined, "no test module failed");
  });

  it("graded code cannot write the grader's record of the run or pose as Deno's report, in both modes", async () => {
    for (const g of [await graded.forgesRecord(), await graded.forgesRecordPermissions()]) {
      assertEquals(g.points, 0);
      assertExcludes(report(g), "award full marks");
      assertExcludes(report(g), "all good");
      assertMatches(
        byName(g, "integrity > mean").message,
        /^permission denied: write access to ".*\/record\/output\.jsonl"/,
      );
      assertEquals(byName(g, "integrity > squares").status, "fail");
    }
  });
});

describe("hostile submissions: nothing is left behind", () => {
  it("every grading above removed its folders and processes, and so does an interrupted one", async () => {
    await Promise.all(lanes);
    const controller = new AbortController();
    const stopping = gradeKata(probe, {
      root: REPO,
      submission: submission("loop"),
      isolation: auto,
      tempDir: WORK,
      stagingDir: STAGING,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("interrupted")), 4000);
    const outcome = await stopping.then(() => "graded", (error) => error.message);
    assertEquals(outcome, "interrupted");
    assertEquals(await entries(WORK), []);
    assertEquals(processesUsing(TEMP), []);
    assertEquals(processTree(Deno.pid).length, 1, "the test process has no child left");
    await Deno.remove(TEMP, { recursive: true });
  });
});
