/**
 * Grading a class: `deno task grade --roster PATH` grades every submission of a roster (see `roster.ts`),
 * `--jobs N` at a time, each as `deno task grade` grades one (its katas in sandboxed processes), and
 * writes per learner `learners/<id>/results.json` and `junit.xml`, then `gradebook.csv`,
 * `gradebook-canvas.csv` and `summary.md` (see `gradebook.ts`) under the output folder. What does not
 * depend on the submission is done once for the roster: the dependency install and each kata's test list
 * (the census).
 *
 * **Resumable.** Each learner's grading is recorded (`learners/<id>/grading.json`) with a key made of the
 * content hash of the submission's kata folders (the staged copies' names), the course version
 * (`course_version.ts`) and the grading options; a learner whose key is unchanged is not graded again. A
 * record is written only after the learner's results, so a run stopped at any point (Ctrl-C, a killed
 * runner) continues where it stopped when run again.
 *
 * **Shards.** `--shard i/n` grades every n-th learner in id order (`shardOf`); `roster.json` in the output
 * folder records the roster's digest, the shard, its learners and whether it finished. `--merge` joins the
 * outputs of all n shards into one gradebook, after checking that they come from the same roster, course
 * version and options, that none is missing, incomplete or given twice, and that no learner is in two.
 *
 * @example Usage
 * ```ts ignore
 * import { gradeRoster } from "./roster_run.ts";
 * const code = await gradeRoster({ rosterPath: "submissions/", out: "out/roster", jobs: 2, katas, ctx, io });
 * ```
 * @module
 */
import { join, resolve } from "node:path";
import type { Kata } from "../catalog/katas.ts";
import { runCensus } from "./grade_kata.ts";
import type { GradeContext, KataGrade } from "./grade_kata.ts";
import { gradeSubmission } from "./grade_submission.ts";
import type { UntouchedGrades } from "./untouched.ts";
import { canvasCsv, gradebookCsv, type KataColumn, type LearnerResults, rosterSummary } from "./gradebook.ts";
import { courseVersion } from "./course_version.ts";
import type { CensusCase } from "./cases.ts";
import { toJUnit } from "./junit.ts";
import { notGraded, type Results, toResults } from "./results.ts";
import {
  type Learner,
  readRoster,
  rosterDigest,
  RosterError,
  sha256,
  type Shard,
  shardOf,
} from "./roster.ts";
import { stageSubmission, SubmissionError, submissionRoot } from "./submission.ts";

/** Where a roster run prints. */
export interface RosterIO {
  /** Results and file paths. */
  log: (line: string) => void;
  /** Progress and problems. */
  error: (line: string) => void;
}

/** A roster run. */
export interface RosterRun {
  /** The roster (folder, `.csv` or `.json`). */
  rosterPath: string;
  /** Where repositories named by the roster were cloned (`deno task grade --clone`). */
  clones?: string;
  /** The output folder. */
  out: string;
  /** Submissions graded at once. */
  jobs: number;
  /** Only this share of the roster. */
  shard?: Shard;
  /** The katas to grade. */
  katas: Kata[];
  /** How to grade (everything but the submission). */
  ctx: Omit<GradeContext, "submission">;
  /** Report hidden tests' messages and output. */
  showHidden?: boolean;
  /** Where to print. */
  io: RosterIO;
  /** Runs before the first grading (the dependency install). */
  prepare?: () => Promise<void>;
}

/** `roster.json`: what an output folder holds. */
export interface RosterManifest {
  /** Format version. */
  version: 1;
  /** Digest of the whole roster's ids (`rosterDigest`). */
  roster: string;
  /** Learners in the whole roster. */
  learners: number;
  /** The share graded here, or null for the whole roster. */
  shard: Shard | null;
  /** The learners graded here, in id order. */
  ids: string[];
  /** The course version graded against. */
  course: string;
  /** The grading options that change grades (the resume key covers them). */
  options: Record<string, unknown>;
  /** The katas graded (the gradebook's columns). */
  katas: KataColumn[];
  /** True once every learner here was graded. */
  complete: boolean;
}

/** A learner's `grading.json`: what the results were graded from. */
interface GradingRecord {
  /** Submission content, course version and options, digested. */
  key: string;
  /** Seconds the grading took. */
  seconds: number;
}

const LEARNERS = "learners";

/** Writes a file whole or not at all (a run killed while writing leaves the old file or none). */
async function writeAtomic(path: string, text: string): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.writeTextFile(temporary, text);
  await Deno.rename(temporary, path);
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch {
    return undefined;
  }
}

/** The grading options that change a grade. */
function gradingOptions(run: RosterRun): Record<string, unknown> {
  const settings = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) => name.startsWith("KATA_")).sort(),
  );
  return {
    katas: run.katas.map((k) => k.slug),
    timeout: run.ctx.timeoutSeconds ?? null,
    memory: run.ctx.memoryMiB ?? null,
    showHidden: run.showHidden ?? false,
    isolation: run.ctx.isolation?.mode ?? "auto",
    settings: { ...settings, ...run.ctx.env },
  };
}

/** The submission folder of a learner, or why there is none. */
async function submissionOf(learner: Learner, katas: Kata[]): Promise<{ dir?: string; problem?: string }> {
  if (!learner.path) {
    return { problem: `no submission: ${learner.repo} was not cloned (run deno task grade --clone first)` };
  }
  const info = await Deno.stat(learner.path).catch(() => undefined);
  if (!info?.isDirectory) {
    const what = learner.repo ? `the clone of ${learner.repo}` : learner.path;
    return { problem: `no submission: ${what} is not a folder` };
  }
  try {
    return { dir: await submissionRoot(learner.path, katas) };
  } catch (error) {
    if (error instanceof SubmissionError) return { problem: error.message };
    throw error;
  }
}

/** The resume key: the submission's content (staged copies are named by it), the course, the options. */
async function gradingKey(
  submission: { dir?: string; problem?: string },
  run: RosterRun,
  course: string,
): Promise<string> {
  const parts = submission.dir
    ? await Promise.all(run.katas.map(async (kata) => {
      const staged = await stageSubmission(submission.dir!, kata, run.ctx.stagingDir);
      return staged.dir ? staged.dir.split("/").at(-1)! : `problem: ${staged.problem}`;
    }))
    : [`problem: ${submission.problem}`];
  return await sha256(JSON.stringify({ course, options: gradingOptions(run), submission: parts }));
}

function kataColumns(katas: Kata[]): KataColumn[] {
  return katas.map((k) => ({ slug: k.slug, title: k.meta.title, maxPoints: k.meta.points }));
}

function perHour(count: number, seconds: number): string {
  return seconds > 0 ? `${Math.round(count / seconds * 3600)} per hour` : "";
}

/**
 * Grades a roster (see the module doc) and writes the gradebook when every learner is graded.
 *
 * @example Usage
 * ```ts ignore
 * import { gradeRoster } from "./roster_run.ts";
 * const code = await gradeRoster({ rosterPath: "roster.csv", out: "out/roster", jobs: 2, katas, ctx, io });
 * ```
 * @param run The roster, the output folder, parallelism, shard, katas and grading context.
 * @returns The exit status: 0 when every learner was graded, 130 when interrupted.
 */
export async function gradeRoster(run: RosterRun): Promise<number> {
  const { io, katas, ctx } = run;
  const started = performance.now();
  const roster = await readRoster(run.rosterPath, run.clones);
  const learners = run.shard ? shardOf(roster, run.shard) : roster;
  const course = await courseVersion(ctx.root, ctx.extraTests);
  const out = resolve(run.out);
  const manifest: RosterManifest = {
    version: 1,
    roster: await rosterDigest(roster),
    learners: roster.length,
    shard: run.shard ?? null,
    ids: learners.map((l) => l.id),
    course,
    options: gradingOptions(run),
    katas: kataColumns(katas),
    complete: false,
  };
  await writeAtomic(join(out, "roster.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const where = run.shard ? ` (shard ${run.shard.index}/${run.shard.count} of ${roster.length})` : "";
  io.error(`grading ${learners.length} submissions${where}, ${run.jobs} at a time, against ${course}`);
  await run.prepare?.();
  // The test lists do not depend on the submission: taken once, beside the first gradings.
  const censuses = new Map<string, Promise<CensusCase[]>>(
    katas.map((kata) => [kata.slug, runCensus(kata, { ...ctx, submission: ctx.root })]),
  );
  for (const census of censuses.values()) census.catch(() => {}); // a kata's grading reports it
  // A kata left as the course's stub grades the same in every submission: graded once, then reused.
  const untouched: UntouchedGrades = new Map();
  let next = 0;
  let done = 0;
  let graded = 0;
  let unchanged = 0;
  const worker = async () => {
    while (!ctx.signal?.aborted && next < learners.length) {
      const learner = learners[next++];
      const outcome = await gradeLearner(learner, run, course, { censuses, untouched }, out);
      if (outcome.interrupted) return;
      done++;
      if (outcome.unchanged) unchanged++;
      else graded++;
      const score = `${outcome.results.score}/${outcome.results.max_score} ${outcome.results.status}`;
      const reused = outcome.reused
        ? `; ${outcome.reused} untouched stub kata(s) given the stub's grade`
        : "";
      const how = outcome.unchanged
        ? "unchanged since it was graded, not regraded"
        : `${outcome.seconds.toFixed(1)} s${reused}`;
      io.error(`[${done}/${learners.length}] ${learner.id}: ${score} (${how})`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, run.jobs) }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (ctx.signal?.aborted) {
    io.error(
      `interrupted: ${done} of ${learners.length} submissions graded; run the same command again to continue ` +
        "where it stopped",
    );
    return 130;
  }
  manifest.complete = true;
  await writeAtomic(join(out, "roster.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeGradebook(out, manifest, io);
  io.log(
    `graded ${graded} submissions, ${unchanged} unchanged, in ${seconds.toFixed(0)} s` +
      (graded ? ` (${perHour(graded, seconds)} with --jobs ${run.jobs})` : ""),
  );
  return 0;
}

/** One learner graded (or found unchanged), with the results written. */
async function gradeLearner(
  learner: Learner,
  run: RosterRun,
  course: string,
  shared: { censuses: ReadonlyMap<string, Promise<CensusCase[]>>; untouched: UntouchedGrades },
  out: string,
): Promise<
  { results: Results; seconds: number; unchanged?: boolean; interrupted?: boolean; reused?: number }
> {
  const started = performance.now();
  const dir = join(out, LEARNERS, learner.id);
  const submission = await submissionOf(learner, run.katas);
  const key = await gradingKey(submission, run, course);
  const record = await readJson<GradingRecord>(join(dir, "grading.json"));
  const previous = await readJson<Results>(join(dir, "results.json"));
  if (record?.key === key && previous) return { results: previous, seconds: 0, unchanged: true };
  let grades: KataGrade[];
  let reused = 0;
  if (submission.dir) {
    const ctx: GradeContext = { ...run.ctx, submission: submission.dir };
    const graded = await gradeSubmission(run.katas, ctx, { showHidden: run.showHidden, ...shared });
    if (graded.interrupted) return { results: toResults(graded.grades), seconds: 0, interrupted: true };
    grades = graded.grades;
    reused = graded.reused.length;
  } else {
    grades = run.katas.map((k) => notGraded(k.slug, k.meta.title, k.meta.points, submission.problem!));
  }
  const results = toResults(grades, run.ctx.isolation);
  await writeAtomic(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomic(join(dir, "junit.xml"), toJUnit(grades, run.ctx.isolation));
  const seconds = (performance.now() - started) / 1000;
  const grading: GradingRecord = { key, seconds: Math.round(seconds * 10) / 10 };
  await writeAtomic(join(dir, "grading.json"), `${JSON.stringify(grading, null, 2)}\n`);
  return { results, seconds, reused };
}

/** Reads every learner's results of a finished output folder and writes its gradebooks and summary. */
async function writeGradebook(out: string, manifest: RosterManifest, io: RosterIO): Promise<void> {
  const learners: LearnerResults[] = [];
  for (const id of manifest.ids) {
    const results = await readJson<Results>(join(out, LEARNERS, id, "results.json"));
    if (!results) throw new RosterError(`${join(out, LEARNERS, id)} has no readable results.json`);
    learners.push({ id, results });
  }
  const files = {
    "gradebook.csv": gradebookCsv(manifest.katas, learners),
    "gradebook-canvas.csv": canvasCsv(manifest.katas, learners),
    "summary.md": rosterSummary(manifest.katas, learners, manifest.course),
  };
  for (const [name, text] of Object.entries(files)) await writeAtomic(join(out, name), text);
  io.log(
    `gradebook: ${join(out, "gradebook.csv")} (Canvas: gradebook-canvas.csv)\nsummary: ${
      join(out, "summary.md")
    }`,
  );
}

/**
 * Joins the output folders of every shard of a roster into one (see the module doc).
 *
 * @example Usage
 * ```ts ignore
 * import { mergeShards } from "./roster_run.ts";
 * await mergeShards(["out/shard-1", "out/shard-2", "out/shard-3"], "out/roster", io);
 * ```
 * @param dirs The shards' output folders.
 * @param out The merged output folder.
 * @param io Where to print.
 * @returns 0.
 * @throws {RosterError} When the shards do not make up one roster: the message says which and why.
 */
export async function mergeShards(dirs: string[], out: string, io: RosterIO): Promise<number> {
  if (dirs.length === 0) throw new RosterError("--merge needs the shards' output folders");
  const target = resolve(out);
  const shards: { dir: string; manifest: RosterManifest }[] = [];
  for (const dir of dirs.map((d) => resolve(d))) {
    if (dir === target) {
      throw new RosterError(`--merge: the output folder ${out} is also a shard; write elsewhere`);
    }
    const manifest = await readJson<RosterManifest>(join(dir, "roster.json"));
    if (!manifest || manifest.version !== 1 || !Array.isArray(manifest.ids)) {
      throw new RosterError(`--merge: ${dir} is not a roster output (no readable roster.json)`);
    }
    shards.push({ dir, manifest });
  }
  const [first] = shards;
  const count = first.manifest.shard?.count;
  for (const { dir, manifest } of shards) {
    if (!manifest.shard) throw new RosterError(`--merge: ${dir} graded the whole roster, not a shard`);
    const differs = manifest.roster !== first.manifest.roster
      ? "roster"
      : manifest.shard.count !== count
      ? "number of shards"
      : manifest.course !== first.manifest.course
      ? "course version"
      : JSON.stringify(manifest.options) !== JSON.stringify(first.manifest.options)
      ? "grading options"
      : undefined;
    if (differs) {
      throw new RosterError(
        `--merge: ${dir} and ${first.dir} differ in their ${differs}; grade every shard alike`,
      );
    }
    if (!manifest.complete) {
      throw new RosterError(
        `--merge: shard ${manifest.shard.index}/${count} (${dir}) did not finish; run it again (it resumes)`,
      );
    }
  }
  const byIndex = new Map<number, string>();
  for (const { dir, manifest } of shards) {
    const other = byIndex.get(manifest.shard!.index);
    if (other) {
      throw new RosterError(
        `--merge: shard ${manifest.shard!.index}/${count} is given twice (${other} and ${dir})`,
      );
    }
    byIndex.set(manifest.shard!.index, dir);
  }
  const missing = Array.from({ length: count! }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) {
    throw new RosterError(
      `--merge: shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")} missing; give all ${count}`,
    );
  }
  const owner = new Map<string, string>();
  for (const { dir, manifest } of shards) {
    for (const id of manifest.ids) {
      const other = owner.get(id);
      if (other) {
        throw new RosterError(`--merge: learner ${id} is in two shards (${other} and ${dir}): they overlap`);
      }
      owner.set(id, dir);
    }
  }
  if (owner.size !== first.manifest.learners) {
    throw new RosterError(
      `--merge: the shards hold ${owner.size} learners, the roster ${first.manifest.learners}`,
    );
  }
  for (const [id, dir] of owner) {
    for (const file of ["results.json", "junit.xml", "grading.json"]) {
      const from = join(dir, LEARNERS, id, file);
      const text = await Deno.readTextFile(from).catch(() => undefined);
      if (text === undefined && file !== "grading.json") throw new RosterError(`--merge: ${from} is missing`);
      if (text !== undefined) await writeAtomic(join(target, LEARNERS, id, file), text);
    }
  }
  const ids = [...owner.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const manifest: RosterManifest = { ...first.manifest, shard: null, ids, complete: true };
  await writeAtomic(join(target, "roster.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  io.error(`merged ${shards.length} shards: ${ids.length} learners`);
  await writeGradebook(target, manifest, io);
  return 0;
}

/**
 * Clones the repositories a roster names (its `repo` entries) to `<clones>/<id>`: shallow, without tags,
 * submodules, hooks, LFS downloads or a terminal prompt, `jobs` at a time, each within `seconds`. A clone
 * that is already there is kept; one that fails is reported and left out (the grading reports that learner
 * as not cloned).
 *
 * @example Usage
 * ```ts ignore
 * import { cloneRoster } from "./roster_run.ts";
 * await cloneRoster(await readRoster("roster.csv"), "out/clones", 4, io);
 * ```
 * @param learners The learners (those with a `repo` are cloned).
 * @param clones The folder to clone into.
 * @param jobs Clones at once.
 * @param io Where to print.
 * @param signal Stops cloning.
 * @param seconds Time limit per clone.
 * @returns 0 when every clone is there, 1 otherwise.
 */
export async function cloneRoster(
  learners: Learner[],
  clones: string,
  jobs: number,
  io: RosterIO,
  signal?: AbortSignal,
  seconds = 300,
): Promise<number> {
  const todo = learners.filter((l) => l.repo);
  await Deno.mkdir(clones, { recursive: true });
  let next = 0;
  const failed: string[] = [];
  const worker = async () => {
    while (!signal?.aborted && next < todo.length) {
      const learner = todo[next++];
      const dir = join(resolve(clones), learner.id);
      if (await Deno.stat(dir).catch(() => undefined)) continue;
      const temporary = `${dir}.${crypto.randomUUID().slice(0, 8)}.partial`;
      const args = [
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "protocol.ext.allow=never",
        "clone",
        "--quiet",
        "--depth=1",
        "--no-tags",
        "--single-branch",
        ...(learner.ref ? [`--branch=${learner.ref}`] : []),
        "--",
        learner.repo!,
        temporary,
      ];
      const timeout = AbortSignal.timeout(seconds * 1000);
      const out = await new Deno.Command("git", {
        args,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        env: { GIT_TERMINAL_PROMPT: "0", GIT_LFS_SKIP_SMUDGE: "1" },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      }).output().catch((error) => ({ success: false, stderr: new TextEncoder().encode(String(error)) }));
      if (out.success) {
        await Deno.rename(temporary, dir);
        io.error(`cloned ${learner.id}`);
      } else {
        await Deno.remove(temporary, { recursive: true }).catch(() => {});
        const why = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
        failed.push(learner.id);
        io.error(`could not clone ${learner.id} (${learner.repo}): ${why.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  if (signal?.aborted) return 130;
  io.log(`${todo.length - failed.length} of ${todo.length} repositories are in ${clones}`);
  return failed.length ? 1 : 0;
}
