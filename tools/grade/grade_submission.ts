/**
 * Grades a whole submission, kata by kata (each in its own sandboxed processes, see `grade_kata.ts`),
 * after one type-check of all its katas together: a TypeScript program with every kata's tests loads and
 * checks what the katas share (the course's `lib/`, tfjs's types) once instead of once per kata, which
 * on the six katas of this course costs about a fifth of six separate checks. A kata that check cannot
 * vouch for (an error names it, or the errors cannot be told apart) is type-checked on its own as before,
 * so its messages are the same. A kata the grader fails on is an `error` with the reason; an interruption
 * stops grading and leaves the katas not graded as `error`s saying so.
 *
 * @example Usage
 * ```ts ignore
 * import { gradeSubmission } from "./grade_submission.ts";
 * import { listKatas, ROOT } from "../catalog/katas.ts";
 * const { grades } = await gradeSubmission(await listKatas(), { root: ROOT, submission: "/tmp/alice/katas" });
 * for (const g of grades) console.log(g.slug, g.points, "/", g.maxPoints);
 * ```
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Kata } from "../catalog/katas.ts";
import type { CensusCase } from "./cases.ts";
import { stripAnsi } from "./diagnose.ts";
import { DEFAULT_TIMEOUT_S, type GradeContext, gradeKata, type KataGrade } from "./grade_kata.ts";
import { checkKatasSandboxed, type RunPlace } from "./graded_run.ts";
import { detectIsolation } from "./isolation.ts";
import { notGraded } from "./results.ts";
import { stageSubmission } from "./submission.ts";
import { type UntouchedGrades, untouchedKatas } from "./untouched.ts";

/** How {@linkcode gradeSubmission} grades. */
export interface SubmissionOptions {
  /** Report the hidden tests' messages and output. */
  showHidden?: boolean;
  /** Each kata's test list, being taken once for many submissions (by slug); taken per kata when absent. */
  censuses?: ReadonlyMap<string, Promise<CensusCase[]>>;
  /** Called before each kata is graded. */
  onKata?: (kata: Kata) => void;
  /**
   * Grades of katas left as the course's stubs, shared across a roster's submissions (`untouched.ts`): an
   * untouched kata found here is given that grade without being run; one graded here is added.
   */
  untouched?: UntouchedGrades;
}

/** A graded submission. */
export interface SubmissionGrade {
  /** One grade per kata, in the order given. */
  grades: KataGrade[];
  /** True when grading was interrupted (`ctx.signal`): the katas not graded are `error`s saying so. */
  interrupted: boolean;
  /** The katas given the grade of an identical untouched stub graded before (`options.untouched`). */
  reused: string[];
}

/**
 * Grades `katas` of `ctx.submission`: one joint type-check, then each kata in turn.
 *
 * @example Usage
 * ```ts ignore
 * import { gradeSubmission } from "./grade_submission.ts";
 * const { grades, interrupted } = await gradeSubmission(katas, { root: ROOT, submission: dir, signal });
 * ```
 * @param katas The katas to grade.
 * @param ctx Where the submission is, limits, extra tests, the isolation, an abort signal.
 * @param options Hidden tests' details, shared censuses, progress.
 * @returns The grades, and whether grading was interrupted.
 */
export async function gradeSubmission(
  katas: Kata[],
  ctx: GradeContext,
  options: SubmissionOptions = {},
): Promise<SubmissionGrade> {
  const grades: KataGrade[] = [];
  const reused: string[] = [];
  const interrupted = () => ctx.signal?.aborted === true;
  try {
    const isolation = ctx.isolation ?? await detectIsolation("auto");
    const inContext: GradeContext = { ...ctx, isolation };
    const { untouched: known } = options;
    const untouched = known ? await untouchedKatas(katas, resolve(ctx.submission), ctx.root) : new Set();
    const toRun = katas.filter((kata) => !(untouched.has(kata.slug) && known?.has(kata.slug)));
    const typeChecked = await checkTogether(toRun, inContext).catch((error) => {
      if (interrupted()) throw error;
      return new Map<string, string>(); // each kata is checked on its own instead
    });
    for (const kata of katas) {
      options.onKata?.(kata);
      const same = untouched.has(kata.slug) ? known?.get(kata.slug) : undefined;
      if (same) {
        grades.push({ ...structuredClone(same), seconds: 0 });
        reused.push(kata.slug);
        continue;
      }
      const census = options.censuses?.get(kata.slug);
      try {
        const grade = await gradeKata(kata, { ...inContext, census, typeChecked }, options.showHidden);
        grades.push(grade);
        // A grader error (a timeout on a loaded machine) is this run's, not the stub's: not shared.
        if (untouched.has(kata.slug) && grade.status !== "error") {
          known?.set(kata.slug, structuredClone(grade));
        }
      } catch (error) {
        if (interrupted()) throw error;
        const why = `the grader failed on this kata: ${error instanceof Error ? error.message : error}`;
        grades.push(notGraded(kata.slug, kata.meta.title, kata.meta.points, why));
      }
    }
  } catch (error) {
    if (!interrupted()) throw error;
  }
  const done = new Set(grades.map((g) => g.slug));
  for (const kata of katas.filter((k) => !done.has(k.slug))) {
    grades.push(notGraded(kata.slug, kata.meta.title, kata.meta.points, "grading was interrupted"));
  }
  return { grades, interrupted: interrupted(), reused };
}

/**
 * Type-checks the katas of the submission together; returns, by kata slug, the staged folder each kata
 * that is certainly free of type errors was checked in. Katas that cannot be staged are left out (grading
 * reports why); one kata alone is left to `gradeKata`'s own check (the same work).
 */
async function checkTogether(katas: Kata[], ctx: GradeContext): Promise<Map<string, string>> {
  const clean = new Map<string, string>();
  const staged = await Promise.all(
    katas.map((kata) => stageSubmission(resolve(ctx.submission), kata, ctx.stagingDir)),
  );
  const ready = katas.flatMap((kata, i) => staged[i].dir ? [{ kata, dir: staged[i].dir! }] : []);
  if (ready.length < 2) return clean;
  const work = await Deno.makeTempDir({ dir: ctx.tempDir, prefix: "ml-katas-grade-" });
  try {
    const scratch = join(work, "scratch");
    await Deno.mkdir(scratch);
    const places: RunPlace[] = ready.map(({ kata, dir }) => ({
      root: ctx.root,
      kata,
      code: dir,
      extraTests: ctx.extraTests,
      work,
      scratch,
      isolation: ctx.isolation!,
      env: ctx.env,
    }));
    const seconds = ctx.timeoutSeconds ?? DEFAULT_TIMEOUT_S;
    // A module that cannot be loaded (a syntax error, a missing import) stops Deno before it checks
    // anything: the kata it belongs to is left to its own check and the others are checked again together.
    let remaining = places;
    for (let attempt = 0; attempt < 3 && remaining.length >= 2; attempt++) {
      const run = await checkKatasSandboxed(remaining, { seconds, memoryMiB: 0, signal: ctx.signal });
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      if (run.timedOut) break;
      const blamed = run.code === 0 ? new Set<string>() : blamedKatas(run.stderr, remaining);
      if (blamed) {
        for (const place of remaining) {
          if (!blamed.has(place.kata.slug)) clean.set(place.kata.slug, place.code);
        }
        break;
      }
      const unloadable = unloadableKata(run.stderr, remaining);
      if (!unloadable) break;
      remaining = remaining.filter((place) => place.kata.slug !== unloadable);
    }
    return clean;
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/**
 * The katas a failed joint type-check blames: those whose tests, staged code or hidden tests an error is
 * located in. `undefined` when the output cannot be read that way: an error that is not a type error (a
 * module that cannot be found stops Deno before it checks anything, so the other katas are unchecked),
 * or a type error without a location in some kata.
 *
 * @example Usage
 * ```ts ignore
 * import { blamedKatas } from "./grade_submission.ts";
 * const blamed = blamedKatas("TS2322 [ERROR]: ...\n    at file:///s/01-x/x.ts:3:3\n", places); // Set { "01-x" }
 * ```
 * @param stderr What `deno check` printed.
 * @param places The katas and their staged code.
 * @returns The slugs of the blamed katas, or `undefined`.
 */
export function blamedKatas(
  stderr: string,
  places: Pick<RunPlace, "kata" | "code" | "extraTests">[],
): Set<string> | undefined {
  const text = stripAnsi(stderr).split("\nStack backtrace:")[0];
  const errors = text.split("\n").filter((line) => /^error: /.test(line));
  if (errors.some((line) => line !== "error: Type checking failed.")) return undefined;
  const blocks = text.split(/\n(?=TS\d+ \[ERROR\]: )/).filter((block) => /^TS\d+ \[ERROR\]: /.test(block));
  if (blocks.length === 0) return undefined;
  const owner = ownerOf(places);
  const blamed = new Set<string>();
  for (const block of blocks) {
    const urls = [...block.matchAll(/\bat (file:\/\/\S+?):\d+:\d+/g)].map((m) => m[1]);
    if (urls.length === 0) return undefined;
    for (const url of urls) {
      const slug = owner(url);
      if (!slug) return undefined;
      blamed.add(slug);
    }
  }
  return blamed;
}

/** Which kata a module belongs to (its tests, its staged code or its hidden tests), by file URL. */
function ownerOf(
  places: Pick<RunPlace, "kata" | "code" | "extraTests">[],
): (url: string) => string | undefined {
  const folders = places.flatMap(({ kata, code, extraTests }) =>
    [kata.dir, join(code, kata.slug), ...(extraTests ? [join(resolve(extraTests), kata.slug)] : [])]
      .map((dir) => ({ slug: kata.slug, dir: `${dir}/` }))
  );
  return (url) => {
    const path = fileURLToPath(url);
    return folders.find(({ dir }) => path.startsWith(dir))?.slug;
  };
}

/**
 * The kata whose module stopped a joint type-check before it checked anything (a syntax error, an import
 * that cannot be resolved), when every file the error names belongs to that one kata.
 *
 * @example Usage
 * ```ts ignore
 * import { unloadableKata } from "./grade_submission.ts";
 * const out = "error: The module's source code could not be parsed: Expected ident at file:///s/01-x/x.ts:3:17\n";
 * console.log(unloadableKata(out, places)); // "01-x"
 * ```
 * @param stderr What `deno check` printed.
 * @param places The katas and their staged code.
 * @returns The kata's slug, or `undefined`.
 */
export function unloadableKata(
  stderr: string,
  places: Pick<RunPlace, "kata" | "code" | "extraTests">[],
): string | undefined {
  const text = stripAnsi(stderr).split("\nStack backtrace:")[0];
  if (/^TS\d+ \[ERROR\]: /m.test(text) || !/^error: /m.test(text)) return undefined;
  const owner = ownerOf(places);
  const slugs = new Set(
    [...text.matchAll(/file:\/\/[^\s"'`)]+?(?=:\d+:\d+|["'`\s)]|$)/g)].map((m) => owner(m[0])),
  );
  return slugs.size === 1 ? [...slugs][0] : undefined;
}
