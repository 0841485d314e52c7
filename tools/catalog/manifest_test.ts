import { assert, assertEquals, assertRejects } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { listKatas } from "./katas.ts";
import { loadManifest, type Manifest, ManifestError, manifestProblems } from "./manifest.ts";

const valid: Manifest = {
  title: "Mini",
  question: "?",
  headline: "?",
  concepts: ["x"],
  difficulty: "beginner",
  points: 10,
  files: { learner: ["a.ts"], support: ["shared.ts"], tests: ["a_test.ts", "b_test.ts"] },
  steps: [
    { title: "One", functions: ["a"], tests: ["a_test.ts"], hints: ["h"] },
    { title: "Two", functions: ["A.b", "C constructor"], tests: ["b_test.ts"], hints: ["h"] },
  ],
};
const clone = (): Manifest => structuredClone(valid);

describe("the kata manifest", () => {
  it("every kata of the repository has a valid manifest", async () => {
    for (const kata of await listKatas()) assert(kata.meta.steps.length > 0, kata.slug);
  });

  it("a valid manifest has no problems", () => {
    assertEquals(manifestProblems(valid), []);
  });

  it("names the field and the fix: missing, unknown, wrong enum, bad file name, empty list", () => {
    const m = clone() as unknown as Record<string, unknown>;
    delete m.files;
    m.hints = [];
    m.difficulty = "easy";
    (m.steps as Manifest["steps"])[1].tests = ["b.ts"];
    (m.steps as Manifest["steps"])[0].hints = [];
    const problems = manifestProblems(m);
    const has = (part: string) =>
      assert(problems.some((p) => p.includes(part)), `${part} in:\n${problems.join("\n")}`);
    has('the manifest: missing field "files"; add it');
    has('the manifest: unknown field "hints"; remove it');
    has('difficulty: must be one of "beginner", "intermediate", "advanced"');
    has('steps[1].tests[0] (step 2): a test file is named like "name_test.ts"');
    has("steps[0].hints (step 1): list at least 1 item(s)");
  });

  it("checks the roles: step tests listed in files.tests, every test file in a step, no module in two roles", () => {
    const m = clone();
    m.steps[1].tests = ["c_test.ts"];
    m.files.support = ["a.ts"];
    assertEquals(manifestProblems(m), [
      'files: "a.ts" is listed as both learner and support; a module has one role',
      'steps[1].tests (step 2): "c_test.ts" is not in files.tests; add it there',
      'files.tests: "b_test.ts" belongs to no step; list it in the tests of the steps it checks',
    ]);
  });

  it("loading names the file: missing, not JSON, or naming a file that does not exist", async () => {
    const dir = await Deno.makeTempDir();
    try {
      await assertRejects(
        () => loadManifest(dir, "katas/07-x/kata.json"),
        ManifestError,
        "the file is missing",
      );
      await Deno.writeTextFile(join(dir, "kata.json"), "{ nope");
      await assertRejects(
        () => loadManifest(dir, "katas/07-x/kata.json"),
        ManifestError,
        "katas/07-x/kata.json is not",
      );
      await Deno.writeTextFile(join(dir, "kata.json"), JSON.stringify(valid));
      await Deno.writeTextFile(join(dir, "a.ts"), "");
      await Deno.writeTextFile(join(dir, "a_test.ts"), "");
      await Deno.writeTextFile(join(dir, "b_test.ts"), "");
      await assertRejects(
        () => loadManifest(dir),
        ManifestError,
        'files.support: "shared.ts" does not exist in the kata\'s folder; create it or remove the entry',
      );
      await Deno.writeTextFile(join(dir, "shared.ts"), "");
      assertEquals((await loadManifest(dir)).title, "Mini");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
