/**
 * A miniature course repository for the tools' own tests: one fast kata, `99-mini`, with two steps, two
 * learner modules (`double.ts` for step 1, `triple.ts` for step 2), one test file per step, reference
 * solutions, and whatever learner code a test wants to try (a type error, a syntax error, a throw at
 * import). Its `deno.json` maps `@std/…` and `@lib/` to this repository's modules.
 *
 * @example Usage
 * ```ts ignore
 * import { makeMiniRepo } from "./mini_repo.ts";
 * const repo = await makeMiniRepo({ "triple.ts": 'export const triple = (x: number): number => "x";' });
 * try {
 *   // run the tools with repo.root and repo.kata
 * } finally {
 *   await repo.remove();
 * }
 * ```
 * @module
 */
import { join } from "node:path";
import { type Kata, listKatas, ROOT } from "../catalog/katas.ts";

/** The reference solution of each learner module. */
export const MINI_SOLUTIONS: Record<string, string> = {
  "double.ts": "export function double(x: number): number {\n  return 2 * x;\n}\n",
  "triple.ts": "export function triple(x: number): number {\n  return 3 * x;\n}\n",
};

/** The published stub of each learner module. */
export const MINI_STUBS: Record<string, string> = {
  "double.ts": 'import { notImplemented } from "@lib/testing/not_implemented.ts";\n' +
    'export function double(_x: number): number {\n  return notImplemented("double", 1);\n}\n',
  "triple.ts": 'import { notImplemented } from "@lib/testing/not_implemented.ts";\n' +
    'export function triple(_x: number): number {\n  return notImplemented("triple", 2);\n}\n',
};

const TESTS: Record<string, string> = {
  "double_test.ts": `import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { measured } from "@lib/testing/measure.ts";
import { double } from "./double.ts";

describe("kata 99, step 1: doubling", () => {
  it("doubles 2", () => assertEquals(double(2), 4));
  it("doubles -1", () => assertEquals(double(-1), -2, "double(-1)"));
  it("measures twice three", () => {
    assertEquals(measured("twice three", double(3)), 6);
  });
});
`,
  "triple_test.ts": `import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { triple } from "./triple.ts";

describe("kata 99, step 2: tripling", () => {
  it("triples 2", () => assertEquals(triple(2), 6));
  it("prints while it triples", () => {
    console.log("tripling 5");
    assertEquals(triple(5), 15);
  });
});
`,
};

const MANIFEST = {
  title: "Mini",
  question: "Does the tooling count every test?",
  headline: "Does the tooling count every test?",
  concepts: ["counting"],
  difficulty: "beginner",
  points: 10,
  files: { learner: ["double.ts", "triple.ts"], tests: ["double_test.ts", "triple_test.ts"] },
  steps: [
    { title: "Doubling", functions: ["double"], tests: ["double_test.ts"], hints: ["What is 2 × x?"] },
    { title: "Tripling", functions: ["triple"], tests: ["triple_test.ts"], hints: ["What is 3 × x?"] },
  ],
};

const README =
  "# Mini\n\n## Steps\n\n1. **Doubling** `double`.\n2. **Tripling** `triple`.\n\n## How to run\n";

/** A miniature repository on disk. */
export interface MiniRepo {
  /** Its root folder. */
  root: string;
  /** Its one kata. */
  kata: Kata;
  /** Deletes it. */
  remove(): Promise<void>;
}

/**
 * Writes a miniature repository whose learner code is the stub, overridden by `learner` (file name →
 * text); `solutions/99-mini/` holds the reference.
 *
 * @example Usage
 * ```ts ignore
 * import { makeMiniRepo, MINI_SOLUTIONS } from "./mini_repo.ts";
 * const solved = await makeMiniRepo(MINI_SOLUTIONS);
 * ```
 * @param learner Learner modules to write instead of the stubs.
 * @returns The repository.
 */
export async function makeMiniRepo(learner: Record<string, string> = {}): Promise<MiniRepo> {
  const root = await Deno.makeTempDir({ prefix: "ml-katas-mini-" });
  const kataDir = join(root, "katas", "99-mini");
  const solutions = join(root, "solutions", "99-mini");
  await Deno.mkdir(kataDir, { recursive: true });
  await Deno.mkdir(solutions, { recursive: true });
  const imports = {
    "@std/assert": `${ROOT}/lib/std_compat/assert.ts`,
    "@std/testing/bdd": `${ROOT}/lib/std_compat/bdd.ts`,
    "@lib/": `${ROOT}/lib/`,
  };
  await Deno.writeTextFile(join(root, "deno.json"), JSON.stringify({ imports, lock: false }, null, 2));
  await Deno.writeTextFile(join(kataDir, "kata.json"), JSON.stringify(MANIFEST, null, 2));
  await Deno.writeTextFile(join(kataDir, "README.md"), README);
  for (const [name, text] of Object.entries(TESTS)) await Deno.writeTextFile(join(kataDir, name), text);
  for (const [name, text] of Object.entries({ ...MINI_STUBS, ...learner })) {
    await Deno.writeTextFile(join(kataDir, name), text);
  }
  for (const [name, text] of Object.entries(MINI_SOLUTIONS)) {
    await Deno.writeTextFile(join(solutions, name), text);
  }
  const [kata] = await listKatas(root);
  return { root, kata, remove: () => Deno.remove(root, { recursive: true }) };
}

/**
 * A temporary copy of this repository's tools — `deno.json`, `deno.lock`, `tools/`, `lib/` and a link to
 * `node_modules/` — holding only the mini kata (learner code as for {@linkcode makeMiniRepo}), so the
 * project's own tasks (`deno run -A tools/tasks/kata.ts 99`, …) can be run on it end to end.
 *
 * @example Usage
 * ```ts ignore
 * import { makeMiniCheckout } from "./mini_repo.ts";
 * const checkout = await makeMiniCheckout({});
 * const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", "tools/launch.ts", "kata", "99"], cwd: checkout.root }).output();
 * await checkout.remove();
 * ```
 * @param learner Learner modules to write instead of the stubs.
 * @returns The checkout.
 */
export async function makeMiniCheckout(learner: Record<string, string> = {}): Promise<MiniRepo> {
  const repo = await makeMiniRepo(learner);
  const { root } = repo;
  for (const dir of ["tools", "lib"]) await copyTree(join(ROOT, dir), join(root, dir));
  for (const file of ["deno.json", "deno.lock"]) await Deno.copyFile(join(ROOT, file), join(root, file));
  await Deno.symlink(join(ROOT, "node_modules"), join(root, "node_modules"));
  const [kata] = await listKatas(root);
  return { root, kata, remove: repo.remove };
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    if (entry.isDirectory) await copyTree(source, join(to, entry.name));
    else if (entry.isFile) await Deno.copyFile(source, join(to, entry.name));
  }
}
