/**
 * The grader's test data (`tools/grade/testdata/`: a miniature course repository, hidden tests and
 * submissions, most of them hostile) and the assertions on reports its tests share.
 *
 * @example Usage
 * ```ts ignore
 * import { REPO, submission } from "./grader_data.ts";
 * const grade = await gradeKata(kata, { root: REPO, submission: submission("good") });
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert } from "@std/assert";

/** The grader's test data folder. */
export const DATA: string = fileURLToPath(new URL("../grade/testdata/", import.meta.url));
/** A miniature course repository with two fast katas (see `testdata/README.md`). */
export const REPO: string = join(DATA, "repo");
/** Course staff's hidden tests for it. */
export const HIDDEN: string = join(DATA, "hidden");

/**
 * The folder of the submission named `name`.
 *
 * @example Usage
 * ```ts
 * import { submission } from "./grader_data.ts";
 * console.log(submission("good").endsWith("submissions/good")); // true
 * ```
 * @param name The submission.
 * @returns Its folder.
 */
export function submission(name: string): string {
  return join(DATA, "submissions", name);
}

/**
 * Fills `dir` with copies of testdata kata folders, one per kata: `{ "90-probe": "good", "91-integrity":
 * "patches-deno" }` copies `submissions/good/90-probe/` and `submissions/patches-deno/91-integrity/`.
 * `"stub"` copies the kata's published stub from the miniature repository.
 *
 * @example Usage
 * ```ts ignore
 * import { assembleSubmission } from "./grader_data.ts";
 * const dir = await assembleSubmission(await Deno.makeTempDir(), { "90-probe": "half", "91-integrity": "stub" });
 * ```
 * @param dir An existing folder.
 * @param parts Kata slug → submission name (or `"stub"`).
 * @returns `dir`.
 */
export async function assembleSubmission(dir: string, parts: Record<string, string>): Promise<string> {
  for (const [slug, from] of Object.entries(parts)) {
    const source = from === "stub" ? join(REPO, "katas", slug) : join(submission(from), slug);
    await Deno.mkdir(join(dir, slug), { recursive: true });
    for await (const entry of Deno.readDir(source)) {
      const stubOnly = from === "stub" && (entry.name.endsWith("_test.ts") || entry.name === "kata.json");
      if (entry.isFile && !stubOnly) {
        await Deno.copyFile(join(source, entry.name), join(dir, slug, entry.name));
      }
    }
  }
  return dir;
}

/**
 * Asserts that a report's text includes `part`.
 *
 * @example Usage
 * ```ts
 * import { assertIncludes } from "./grader_data.ts";
 * assertIncludes("permission denied: read access", "denied");
 * ```
 * @param text The text.
 * @param part What it must include.
 * @param msg A message prefix.
 */
export function assertIncludes(text: string | undefined, part: string, msg = ""): void {
  assert(
    text?.includes(part),
    `${msg}${msg ? ": " : ""}expected ${JSON.stringify(text?.slice(0, 2000))} to include ${
      JSON.stringify(part)
    }`,
  );
}

/**
 * Asserts that a report's text matches `pattern`.
 *
 * @example Usage
 * ```ts
 * import { assertMatches } from "./grader_data.ts";
 * assertMatches("timed out after 3 s", /timed out after \d+ s/);
 * ```
 * @param text The text.
 * @param pattern What it must match.
 */
export function assertMatches(text: string | undefined, pattern: RegExp): void {
  assert(text !== undefined && pattern.test(text), `expected ${JSON.stringify(text)} to match ${pattern}`);
}
