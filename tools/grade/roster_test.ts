import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import fc from "fast-check";
import { parse as parseCsv } from "csv-parse/sync";
import { parseShard, readRoster, rosterDigest, RosterError, shardOf, validLearnerId } from "./roster.ts";
import { canvasCsv, failingTests, gradebookCsv, leaderboardOf } from "./gradebook.ts";
import { blamedKatas, unloadableKata } from "./grade_submission.ts";
import type { Kata } from "../catalog/katas.ts";
import type { Results } from "./results.ts";
import { assertIncludes } from "../testing/grader_data.ts";

const TEMP = await Deno.makeTempDir({ prefix: "ml-katas-roster-" });

async function write(name: string, text: string): Promise<string> {
  const path = join(TEMP, name);
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
  return path;
}

/** Results of one learner: each kata's points, and tests with a status (and measures). */
function results(
  katas: Record<string, number>,
  tests: {
    name: string;
    status: "pass" | "fail" | "error";
    message?: string;
    label?: string;
    value?: number;
  }[] = [],
): Results {
  const score = Object.values(katas).reduce((a, b) => a + b, 0);
  return {
    version: 3,
    status: tests.every((t) => t.status === "pass") ? "pass" : "fail",
    message: null,
    score,
    max_score: 20,
    tests: tests.map((t) => ({
      name: `${t.name.split(" > ")[0]} > ${t.name}`,
      status: t.status,
      ...(t.message ? { message: t.message } : {}),
      ...(t.label ? { measures: [{ label: t.label, value: t.value! }] } : {}),
      kata: t.name.split(" > ")[0],
      points: 0,
      max_points: 1,
    })),
    katas: Object.entries(katas).map(([slug, points]) => ({
      slug,
      title: slug,
      status: "fail",
      points,
      max_points: 10,
      tests_passed: 0,
      tests_total: 1,
      seconds: 1,
    })),
  };
}

describe("a roster", () => {
  it("is read from a folder of learner folders (dot-folders and files skipped), sorted by id", async () => {
    for (const id of ["bob", "alice", ".git"]) {
      await Deno.mkdir(join(TEMP, "folder", id), { recursive: true });
    }
    await write("folder/notes.txt", "not a learner");
    const learners = await readRoster(join(TEMP, "folder"));
    assertEquals(learners, [
      { id: "alice", path: join(TEMP, "folder", "alice") },
      { id: "bob", path: join(TEMP, "folder", "bob") },
    ]);
  });

  it("is read from a CSV (paths relative to it, repos with a ref, a BOM, any column order) or JSON", async () => {
    const csv = await write(
      "lists/roster.csv",
      "\uFEFFRepo,ID,path,ref\n,carol,subs/carol,\nhttps://example.org/dan.git,dan,,v1\n",
    );
    assertEquals(await readRoster(csv, join(TEMP, "clones")), [
      { id: "carol", path: join(TEMP, "lists", "subs", "carol") },
      { id: "dan", repo: "https://example.org/dan.git", ref: "v1", path: join(TEMP, "clones", "dan") },
    ]);
    assertEquals(await readRoster(csv), [
      { id: "carol", path: join(TEMP, "lists", "subs", "carol") },
      { id: "dan", repo: "https://example.org/dan.git", ref: "v1" },
    ]);
    const list = await write("lists/roster.json", JSON.stringify([{ id: "erin", path: "/abs/erin" }]));
    assertEquals(await readRoster(list), [{ id: "erin", path: "/abs/erin" }]);
    const object = await write("lists/object.json", JSON.stringify({ fay: "subs/fay" }));
    assertEquals(await readRoster(object), [{ id: "fay", path: join(TEMP, "lists", "subs", "fay") }]);
  });

  it("is refused with the reason: missing, no header, an id twice (whatever the case), an unsafe id, path and repo", async () => {
    const cases: [string, string, string][] = [
      ["a.csv", "name,folder\nx,y\n", 'the header must name "id" and "path" or "repo"'],
      ["b.csv", "id,path\nAnn,a\nann,b\n", 'the id "ann" is there twice'],
      ["c.csv", "id,path\n=HYPERLINK(1),a\n", "invalid learner id"],
      ["d.csv", "id,path\n../up,a\n", "invalid learner id"],
      ["e.csv", "id,path,repo\nx,a,https://r\n", "give either a path or a repo, not both"],
      ["f.csv", "id,path\ny,\n", "not neither"],
      ["g.json", "[1]", "not an object"],
      ["h.json", "{", "not valid JSON"],
      ["i.txt", "id,path\n", "neither a folder nor a .csv or .json file"],
    ];
    const missing = await assertRejects(() => readRoster(join(TEMP, "bad", "none.csv")), RosterError);
    assertIncludes(missing.message, "does not exist");
    for (const [name, text, reason] of cases) {
      const refused = await assertRejects(
        async () => readRoster(await write(`bad/${name}`, text)),
        RosterError,
      );
      assertIncludes(refused.message, reason, name);
    }
  });

  it("ids can be file names and gradebook cells, never formulas or paths", () => {
    for (const id of ["a", "alice.smith@uni.edu", "s123_x-y+z", "A".repeat(128)]) {
      assertEquals(validLearnerId(id), true, id);
    }
    for (const id of ["", "-1", "+1", "=1", "@x", ".x", "a/b", "a b", "a,b", "é", "A".repeat(129)]) {
      assertEquals(validLearnerId(id), false, id);
    }
  });
});

describe("shards", () => {
  it("--shard i/n is checked", () => {
    assertEquals(parseShard("3/3"), { index: 3, count: 3 });
    for (const bad of ["0/3", "4/3", "1/0", "1", "a/b", "-1/2"]) {
      assertThrows(() => parseShard(bad), RosterError);
    }
  });

  it("partition the roster: disjoint, complete, sizes within one, whatever the roster's order", () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { maxLength: 60 }),
      fc.integer({ min: 1, max: 9 }),
      (ids, count) => {
        const learners = ids.map((id) => ({ id }));
        const shards = Array.from({ length: count }, (_, i) => shardOf(learners, { index: i + 1, count }));
        const all = shards.flat().map((l) => l.id);
        assertEquals(all.toSorted(), ids.toSorted());
        assertEquals(new Set(all).size, all.length);
        const sizes = shards.map((s) => s.length);
        assertEquals(Math.max(...sizes) - Math.min(...sizes) <= 1, true);
        const reversed = shardOf(learners.toReversed(), { index: 1, count });
        assertEquals(reversed, shards[0]);
      },
    ));
  });

  it("of one roster share its digest, whatever the order of its ids", async () => {
    assertEquals(
      await rosterDigest([{ id: "b" }, { id: "a" }]),
      await rosterDigest([{ id: "a" }, { id: "b" }]),
    );
    assertEquals(await rosterDigest([{ id: "a" }]) === await rosterDigest([{ id: "a" }, { id: "b" }]), false);
  });
});

describe("the gradebook", () => {
  const katas = [{ slug: "01-x", title: "X, the first", maxPoints: 10 }, {
    slug: "02-y",
    title: "Y",
    maxPoints: 10,
  }];
  const learners = [
    {
      id: "zed",
      results: results({ "01-x": 10, "02-y": 2.5 }, [
        { name: "01-x > t", status: "pass", label: "challenge: val loss", value: 0.3 },
        { name: "02-y > u", status: "fail", message: "AssertionError: off\nmore" },
      ]),
    },
    {
      id: "amy",
      results: results({ "01-x": 0 }, [
        { name: "01-x > t", status: "fail", label: "challenge: val loss", value: 0.01, message: "Error: no" },
      ]),
    },
  ];

  it("has a row per learner in id order, points per kata (0 for a kata not graded), total, status and the leaderboard", () => {
    assertEquals(
      gradebookCsv(katas, learners),
      [
        "id,01-x,02-y,total,status,challenge 01-x val loss",
        "amy,0,0,0,fail,",
        "zed,10,2.5,12.5,fail,0.3",
        "",
      ].join("\n"),
    );
  });

  it("in Canvas's shape has its identifying columns, a Points Possible row and quoted titles", () => {
    const rows = parseCsv(canvasCsv(katas, learners)) as string[][];
    assertEquals(rows[0].slice(5), ["ml-katas 01 X, the first", "ml-katas 02 Y", "ml-katas total"]);
    assertEquals(rows[1], ["Points Possible", "", "", "", "", "10", "10", "20"]);
    assertEquals(rows[2], ["", "", "", "amy", "", "0", "0", "0"]);
  });

  it("ranks a metric whose name says lower is better ascending, and only a passing test's value counts", () => {
    assertEquals(leaderboardOf(learners[0].results), [{ name: "01-x val loss", value: 0.3, order: "asc" }]);
    assertEquals(leaderboardOf(learners[1].results), []);
    const accuracy = results({}, [{
      name: "01-x > t",
      status: "pass",
      label: "challenge: accuracy",
      value: 0.9,
    }]);
    assertEquals(leaderboardOf(accuracy), [{ name: "01-x accuracy", value: 0.9, order: "desc" }]);
    const other = results({}, [{ name: "01-x > t", status: "pass", label: "scaled accuracy", value: 0.9 }]);
    assertEquals(leaderboardOf(other), [], "not a challenge metric");
  });

  it("lists the tests most learners fail first, with their most common message's first line", () => {
    assertEquals(failingTests(learners), [
      { name: "01-x > 01-x > t", failed: 1, of: 2, commonMessage: "Error: no" },
      { name: "02-y > 02-y > u", failed: 1, of: 1, commonMessage: "AssertionError: off" },
    ]);
  });
});

describe("the joint type-check's errors", () => {
  const kata = (slug: string) => ({ slug, dir: `/course/katas/${slug}` }) as Kata;
  const places = [
    { kata: kata("01-x"), code: "/staged/01-x-aa" },
    { kata: kata("02-y"), code: "/staged/02-y-bb", extraTests: "/hidden" },
  ];
  const error = (at: string) =>
    `TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n  x\n    at ${at}:3:3\n`;

  it("blame the katas whose tests, staged code or hidden tests they are located in", () => {
    const out = `Check file:///course/katas/01-x/x_test.ts\n${error("file:///staged/01-x-aa/01-x/x.ts")}\n` +
      `${error("file:///hidden/02-y/y_hidden_test.ts")}\nFound 2 errors.\n\nerror: Type checking failed.\n`;
    assertEquals(blamedKatas(out, places), new Set(["01-x", "02-y"]));
    assertEquals(blamedKatas(error("file:///course/katas/02-y/y_test.ts"), places), new Set(["02-y"]));
  });

  it("blame no kata in particular (each is checked alone) for a module that cannot be found or an error elsewhere", () => {
    const notFound =
      'error: Module not found "file:///staged/01-x-aa/01-x/nope.ts".\n    at file:///staged/01-x-aa/01-x/x.ts:1:8\n';
    assertEquals(blamedKatas(notFound, places), undefined);
    assertEquals(blamedKatas(error("file:///course/lib/core/x.ts"), places), undefined);
    assertEquals(blamedKatas("TS1005 [ERROR]: ';' expected.\n", places), undefined);
    assertEquals(blamedKatas("", places), undefined);
  });

  it("name the one kata whose module could not be loaded (a syntax error), so the others are checked together again", () => {
    const syntax = "error: SyntaxError: 'import', and 'export' cannot be used outside of module code\n  |\n" +
      "4 | export const x = 1;\n    at file:///staged/02-y-bb/02-y/y.ts:4:1\n\nStack backtrace:\n   0: <unknown>\n";
    assertEquals(unloadableKata(syntax, places), "02-y");
    const parse =
      "error: The module's source code could not be parsed: Expected ident at file:///staged/01-x-aa/01-x/x.ts:3:17\n";
    assertEquals(unloadableKata(parse, places), "01-x");
    const two = syntax.replace("\n\nStack", "\n    at file:///staged/01-x-aa/01-x/x.ts:1:1\n\nStack");
    assertEquals(unloadableKata(two, places), undefined, "two katas named");
    assertEquals(
      unloadableKata(error("file:///staged/01-x-aa/01-x/x.ts"), places),
      undefined,
      "a type error",
    );
    assertEquals(unloadableKata("error: something\n    at file:///elsewhere/x.ts:1:1\n", places), undefined);
  });
});

it("leaves no temporary folder behind", async () => {
  await Deno.remove(TEMP, { recursive: true });
});
