/**
 * A class graded end to end through `deno task grade`'s code: a roster of 14 submissions of the miniature
 * course (the reference, the stubs, partial and broken ones, hostile ones from the grader's own set, an
 * empty one, one cloned from a git repository and one whose repository does not exist) graded in one run,
 * then in three shards merged, then interrupted and resumed.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { once } from "@lib/testing/once.ts";
import { runGrader } from "./grader.ts";
import type { Results } from "./results.ts";
import type { RosterManifest } from "./roster_run.ts";
import { assembleSubmission, assertIncludes, REPO } from "../testing/grader_data.ts";

const TEMP = await Deno.makeTempDir({ prefix: "ml-katas-class-" });
const SUBMISSIONS = join(TEMP, "submissions");
const CLONES = join(TEMP, "clones");

/** Each learner's submission: kata → testdata submission (or the published stub). */
const LEARNERS: Record<string, Record<string, string>> = {
  reference: { "90-probe": "good", "91-integrity": "good" },
  stubs: { "90-probe": "stub", "91-integrity": "stub" },
  "partial-half": { "90-probe": "half", "91-integrity": "stub" },
  "partial-one": { "90-probe": "stub", "91-integrity": "good" },
  "broken-syntax": { "90-probe": "syntax", "91-integrity": "good" },
  "broken-types": { "90-probe": "types", "91-integrity": "stub" },
  "broken-import": { "90-probe": "import-throw", "91-integrity": "good" },
  "hostile-cheat": { "90-probe": "cheat", "91-integrity": "patches-deno" },
  "hostile-escape": { "90-probe": "escape", "91-integrity": "patches-promise" },
  "hostile-exit": { "90-probe": "exit", "91-integrity": "patches-asserts" },
  "hostile-forger": { "90-probe": "forges-measure", "91-integrity": "forges-record" },
  empty: {},
};

/**
 * The gradebook every way of grading must produce. Points: 90-probe weighs "answers 42" 3 and its six
 * other tests 1 each (3/9 of 10 = 3.33 for the answer alone; half passes 6 of 9 weight), 91-integrity
 * splits 10 over 7 tests. Hostile submissions earn only what their honest parts earn: the escaping one
 * and the one that exits answer 42 before anything else, and the patches of 91-integrity earn nothing.
 */
const GRADEBOOK = [
  "id,90-probe,91-integrity,total,status,challenge 90-probe answer",
  "broken-import,0,10,10,fail,",
  "broken-syntax,0,10,10,fail,",
  "broken-types,0,0,0,fail,",
  "empty,0,0,0,error,",
  "from-git,6.67,10,16.67,fail,42",
  "hostile-cheat,0,0,0,fail,",
  "hostile-escape,3.33,0,3.33,fail,42",
  "hostile-exit,3.33,0,3.33,fail,42",
  "hostile-forger,0,0,0,fail,",
  "not-cloned,0,0,0,error,",
  "partial-half,6.67,0,6.67,fail,42",
  "partial-one,0,10,10,fail,",
  "reference,10,10,20,pass,42",
  "stubs,0,0,0,fail,",
  "",
].join("\n");

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.name=Learner", "-c", "user.email=learner@example.org", ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
}

/** The roster: a CSV naming 12 folders and two git repositories (one a learner's, one that is not there). */
const roster = once(async () => {
  for (const [id, parts] of Object.entries(LEARNERS)) {
    await Deno.mkdir(join(SUBMISSIONS, id), { recursive: true });
    await assembleSubmission(join(SUBMISSIONS, id), parts);
  }
  const repo = join(TEMP, "from-git-repo");
  await Deno.mkdir(join(repo, "katas"), { recursive: true });
  await assembleSubmission(join(repo, "katas"), { "90-probe": "half", "91-integrity": "good" });
  await git(repo, "init", "--quiet", "--initial-branch=main");
  await git(repo, "add", ".");
  await git(repo, "commit", "--quiet", "-m", "my katas");
  const rows = [
    "id,path,repo",
    ...Object.keys(LEARNERS).map((id) => `${id},submissions/${id},`),
    `from-git,,file://${repo}`,
    `not-cloned,,file://${join(TEMP, "no-such-repo")}`,
  ];
  const csv = join(TEMP, "roster.csv");
  await Deno.writeTextFile(csv, `${rows.join("\n")}\n`);
  return csv;
});

/** Runs `deno task grade` with these arguments on the miniature course; what it printed, line by line. */
async function grade(args: string[], onLine?: (line: string) => void, signal?: AbortSignal) {
  const lines: string[] = [];
  const print = (text: string) => {
    for (const line of text.split("\n")) {
      lines.push(line);
      onLine?.(line);
    }
  };
  const code = await runGrader(["--root", REPO, ...args], { log: print, error: print, signal });
  return { code, lines, text: lines.join("\n") };
}

const progress = (lines: string[]) => lines.filter((l) => /^\[\d+\/\d+\] /.test(l));

/** The whole roster in one run, after its repositories were cloned. */
const oneRun = once(async () => {
  const csv = await roster();
  const clone = await grade(["--clone", "--roster", csv, "--clones", CLONES]);
  const out = join(TEMP, "one-run");
  const run = await grade(["--roster", csv, "--clones", CLONES, "--out", out, "--jobs", "2"]);
  return { clone, run, out };
});

/** The same roster in three shards (one after another, as three runners would), then merged. */
const sharded = once(async () => {
  const csv = await roster();
  await oneRun(); // cloned
  const shards = [1, 2, 3].map((i) => join(TEMP, `shard-${i}`));
  const runs = [];
  for (const [i, out] of shards.entries()) {
    runs.push(await grade(["--roster", csv, "--clones", CLONES, "--shard", `${i + 1}/3`, "--out", out]));
  }
  const merged = join(TEMP, "merged");
  const merge = await grade(["--merge", "--out", merged, ...shards]);
  return { shards, runs, merge, merged };
});

const readText = (path: string) => Deno.readTextFile(path);
const readJson = async <T>(path: string) => JSON.parse(await readText(path)) as T;

describe("grading a class", () => {
  it("a roster of 14 submissions (reference, stubs, partial, broken, hostile, empty, cloned, not cloned) grades to the right totals in one run", async () => {
    const { clone, run, out } = await oneRun();
    assertEquals(clone.code, 1, "one repository cannot be cloned");
    assertIncludes(clone.text, "could not clone not-cloned");
    assertIncludes(clone.text, "1 of 2 repositories are in");
    assertEquals(run.code, 0, run.text);
    assertEquals(progress(run.lines).length, 14);
    assertEquals(await readText(join(out, "gradebook.csv")), GRADEBOOK);
    const results = await readJson<Results>(join(out, "learners", "not-cloned", "results.json"));
    assertIncludes(results.katas[0].message, "is not a folder");
    // Every learner has Exercism results and JUnit; the hidden-free mini course keeps messages.
    for (const id of [...Object.keys(LEARNERS), "from-git", "not-cloned"]) {
      assert(await Deno.stat(join(out, "learners", id, "junit.xml")), id);
    }
    const reference = await readJson<Results>(join(out, "learners", "reference", "results.json"));
    assertEquals(reference.tests[0].measures, [{ label: "challenge: answer", value: 42 }]);
  });

  it("a kata left as the published stub is graded once per run; its untouched copies get that grade, a changed byte is graded", async () => {
    const { run, out } = await oneRun();
    // 91-integrity is the stub in "stubs", "partial-half" and "broken-types"; 90-probe in "stubs" and
    // "partial-one": two jobs grade each stub at most twice, and the others reuse it.
    const reusedLines = progress(run.lines).filter((l) => l.includes("given the stub's grade"));
    assert(reusedLines.length >= 2, progress(run.lines).join("\n"));
    const kataTests = async (id: string, slug: string) =>
      (await readJson<Results>(join(out, "learners", id, "results.json"))).tests.filter((t) =>
        t.kata === slug
      );
    for (const id of ["partial-half", "broken-types"]) {
      assertEquals(await kataTests(id, "91-integrity"), await kataTests("stubs", "91-integrity"), id);
    }
    // One byte more in a stub makes the kata the learner's: graded, with the same outcome.
    const folder = join(TEMP, "touched");
    for (const id of ["a", "b"]) {
      await assembleSubmission(join(folder, id), { "90-probe": "stub", "91-integrity": "stub" });
    }
    const probe = join(folder, "b", "90-probe", "probe.ts");
    await Deno.writeTextFile(probe, `${await readText(probe)}\n`);
    const touched = await grade(["--roster", folder, "--out", join(TEMP, "touched-out"), "--jobs", "1"]);
    assertEquals(touched.code, 0, touched.text);
    const [a, b] = progress(touched.lines);
    assert(a.startsWith("[1/2] a: 0/20 fail (") && !a.includes("stub's grade"), a);
    assert(b.startsWith("[2/2] b: 0/20 fail (") && b.includes("; 1 untouched stub kata(s)"), b);
  });

  it("a measurement is informational: a forged one changes no point and a failing test's is on no leaderboard", async () => {
    const { out } = await oneRun();
    const forger = await readJson<Results>(join(out, "learners", "hostile-forger", "results.json"));
    const answer = forger.tests.find((t) => t.name.endsWith("answers 42"))!;
    assertEquals([answer.status, answer.points], ["fail", 0]);
    // The forged line, then the test's own measurement of what answer() returned: both recorded, apart
    // from the output, neither worth anything.
    assertEquals(answer.measures, [
      { label: "challenge: answer", value: 1e9 },
      { label: "challenge: answer", value: 41 },
    ]);
    assertEquals(answer.output, undefined);
    assert(GRADEBOOK.includes("hostile-forger,0,0,0,fail,\n"), "no leaderboard value");
  });

  it("the Canvas gradebook and the summary name every learner and the tests most learners fail", async () => {
    const { out } = await oneRun();
    const canvas = parseCsv(await readText(join(out, "gradebook-canvas.csv"))) as string[][];
    assertEquals(canvas[0], [
      "Student",
      "ID",
      "SIS User ID",
      "SIS Login ID",
      "Section",
      "ml-katas 90 Probe",
      "ml-katas 91 Integrity",
      "ml-katas total",
    ]);
    assertEquals(canvas[1], ["Points Possible", "", "", "", "", "10", "10", "20"]);
    assertEquals(canvas.find((row) => row[3] === "reference"), [
      "",
      "",
      "",
      "reference",
      "",
      "10",
      "10",
      "20",
    ]);
    assertEquals(canvas.length, 2 + 14);
    const summary = await readText(join(out, "summary.md"));
    assertIncludes(summary, "14 learners graded against course ");
    assertIncludes(summary, "1 pass, 11 fail, 2 error");
    // Of the 13 learners graded on it (the one not cloned has no tests), only the reference passes it.
    assertIncludes(summary, "| 90-probe > probe > fetches | 12 / 13 |");
    assertIncludes(summary, "| 90-probe answer | 42 | desc |");
  });

  it("three shards, merged, give the identical gradebook; shards that do not make up the roster are refused", async () => {
    const { shards, runs, merge, merged } = await sharded();
    for (const run of runs) assertEquals(run.code, 0, run.text);
    assertEquals(runs.map((r) => progress(r.lines).length), [5, 5, 4]);
    const ids = await Promise.all(
      shards.map(async (s) => (await readJson<RosterManifest>(join(s, "roster.json"))).ids),
    );
    assertEquals(ids.flat().sort(), GRADEBOOK.trim().split("\n").slice(1).map((row) => row.split(",")[0]));
    assertEquals(merge.code, 0, merge.text);
    assertEquals(await readText(join(merged, "gradebook.csv")), GRADEBOOK);
    const { out } = await oneRun();
    for (const name of ["gradebook-canvas.csv", "summary.md"]) {
      assertEquals(await readText(join(merged, name)), await readText(join(out, name)), name);
    }
    // Refused: a shard missing, a shard twice, two shards holding the same learners, one unfinished,
    // one graded against another course version; each with the reason.
    const edited = async (from: string, name: string, change: (m: RosterManifest) => void) => {
      const dir = join(TEMP, name);
      await Deno.mkdir(dir, { recursive: true });
      await Deno.symlink(join(from, "learners"), join(dir, "learners")).catch(() => {});
      const manifest = await readJson<RosterManifest>(join(from, "roster.json"));
      change(manifest);
      await Deno.writeTextFile(join(dir, "roster.json"), JSON.stringify(manifest));
      return dir;
    };
    const refusals: [string[], string][] = [
      [[shards[0], shards[2]], "shard(s) 2/3 missing"],
      [[shards[0], shards[1], shards[1], shards[2]], "shard 2/3 is given twice"],
      [
        [shards[0], shards[1], await edited(shards[1], "overlap", (m) => m.shard!.index = 3)],
        "is in two shards",
      ],
      [
        [shards[0], shards[1], await edited(shards[2], "unfinished", (m) => m.complete = false)],
        "did not finish",
      ],
      [
        [shards[0], shards[1], await edited(shards[2], "other-course", (m) => m.course += "!")],
        "course version",
      ],
      [[shards[0], shards[1], join(TEMP, "submissions")], "is not a roster output"],
    ];
    for (const [dirs, reason] of refusals) {
      const refused = await grade(["--merge", "--out", join(TEMP, "refused"), ...dirs]);
      assertEquals(refused.code, 2, reason);
      assertIncludes(refused.text, reason);
    }
  });

  it("an interrupted run continues where it stopped, regrading nothing that finished", async () => {
    const { out: full } = await oneRun();
    const dir = join(TEMP, "five");
    for (const id of ["reference", "stubs", "partial-half", "broken-syntax", "hostile-cheat"]) {
      await Deno.mkdir(join(dir, id), { recursive: true });
      await assembleSubmission(join(dir, id), LEARNERS[id]);
    }
    const out = join(TEMP, "interrupted");
    const controller = new AbortController();
    let finished = 0;
    const stopped = await grade(["--roster", dir, "--out", out, "--jobs", "2"], (line) => {
      if (/^\[\d+\/5\] /.test(line) && ++finished === 2) controller.abort(new Error("Ctrl-C"));
    }, controller.signal);
    assertEquals(stopped.code, 130, stopped.text);
    assertIncludes(stopped.text, "run the same command again to continue");
    const done = progress(stopped.lines).length;
    assert(done >= 2 && done < 5, stopped.text);
    await assertRejects(() => Deno.stat(join(out, "gradebook.csv")), Deno.errors.NotFound);
    assertEquals((await readJson<RosterManifest>(join(out, "roster.json"))).complete, false);
    // Only finished learners have results, each with its record.
    for await (const entry of Deno.readDir(join(out, "learners"))) {
      const files = [];
      for await (const file of Deno.readDir(join(out, "learners", entry.name))) files.push(file.name);
      assertEquals(files.sort(), ["grading.json", "junit.xml", "results.json"], entry.name);
    }
    const resumed = await grade(["--roster", dir, "--out", out, "--jobs", "2"]);
    assertEquals(resumed.code, 0, resumed.text);
    const lines = progress(resumed.lines);
    assertEquals(lines.filter((l) => l.includes("not regraded")).length, done);
    assertIncludes(resumed.text, `graded ${5 - done} submissions, ${done} unchanged`);
    const rows = (await readText(join(full, "gradebook.csv"))).split("\n");
    const expected = rows.filter((row, i) =>
      i === 0 || /^(reference|stubs|partial-half|broken-syntax|hostile-cheat),/.test(row)
    );
    assertEquals(await readText(join(out, "gradebook.csv")), `${expected.join("\n")}\n`);
  });

  it("a changed submission is graded again, the others are not", async () => {
    const { out } = await oneRun();
    const csv = await roster();
    const module = join(SUBMISSIONS, "stubs", "90-probe", "probe.ts");
    await Deno.writeTextFile(
      module,
      (await readText(module)).replace(/throw new Error\("answer: not implemented"\);/, "return 42;"),
    );
    const again = await grade(["--roster", csv, "--clones", CLONES, "--out", out, "--jobs", "2"]);
    assertEquals(again.code, 0, again.text);
    assertIncludes(again.text, "graded 1 submissions, 13 unchanged");
    assertIncludes(await readText(join(out, "gradebook.csv")), "\nstubs,3.33,0,3.33,fail,42\n");
  });

  it("leaves no temporary folder of its own behind", async () => {
    await Deno.remove(TEMP, { recursive: true });
  });
});
