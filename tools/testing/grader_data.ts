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
