/**
 * Katas a submission left as the course published them. A kata whose every learner module is byte for byte
 * the course's stub (`katas/NN-slug/`) grades the same in every submission: each test stops at the stub's
 * "not implemented yet", and the messages name the submission only as `<submission>`. A roster grades such
 * a kata once and gives every other untouched copy that result ({@linkcode UntouchedGrades}), instead of
 * type-checking and running it again: in a class, the katas nobody has started yet are most of the work a
 * stub costs. The comparison is of bytes, so a blank line added to a stub makes the kata graded as usual.
 *
 * @example Usage
 * ```ts ignore
 * import { untouchedKatas } from "./untouched.ts";
 * const slugs = await untouchedKatas(katas, "/tmp/alice/katas", ROOT); // Set { "04-probable-trajectories", … }
 * ```
 * @module
 */
import { join } from "node:path";
import type { Kata } from "../catalog/katas.ts";
import type { KataGrade } from "./grade_kata.ts";

/** Grades of untouched katas, by slug, shared by the submissions of one roster run. */
export type UntouchedGrades = Map<string, KataGrade>;

/**
 * The slugs of `katas` whose learner modules in `submission` (laid out like `katas/`) are regular files
 * with exactly the bytes of the course's own (`root/katas/`). A missing module, a link or a folder in its
 * place makes a kata count as touched (grading then says what is wrong).
 *
 * @example Usage
 * ```ts ignore
 * import { untouchedKatas } from "./untouched.ts";
 * console.log(await untouchedKatas(katas, join(ROOT, "katas"), ROOT)); // every kata: the course's own stubs
 * ```
 * @param katas The katas.
 * @param submission The submission, laid out like `katas/`.
 * @param root The repository root holding the course's `katas/`.
 * @returns The untouched katas' slugs.
 */
export async function untouchedKatas(katas: Kata[], submission: string, root: string): Promise<Set<string>> {
  const untouched = new Set<string>();
  await Promise.all(katas.map(async (kata) => {
    for (const file of kata.modules) {
      const theirs = join(submission, kata.slug, file);
      const info = await Deno.lstat(theirs).catch(() => undefined);
      if (!info?.isFile) return;
      const [a, b] = await Promise.all([
        Deno.readFile(theirs),
        Deno.readFile(join(root, "katas", kata.slug, file)),
      ]);
      if (a.length !== b.length || !a.every((byte, i) => byte === b[i])) return;
    }
    untouched.add(kata.slug);
  }));
  return untouched;
}
