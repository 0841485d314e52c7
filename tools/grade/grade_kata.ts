/**
 * Grades one kata of a submission: stages the submission's files, type-checks them against the
 * kata's tests, runs the tests in a sandboxed Deno process with a time limit and a memory cap
 * (hidden tests in a second one, after it), and turns what happened into per-test statuses,
 * messages, output and points. Beside it, the census runs the tests against the published stub
 * to learn the kata's list of tests.
 *
 * @example Usage
 * ```ts ignore
 * import { gradeKata } from "./grade_kata.ts";
 * import { listKatas, ROOT } from "../catalog/katas.ts";
 * const [kata] = await listKatas();
 * const grade = await gradeKata(kata, { root: ROOT, submission: `${ROOT}/solutions` });
 * console.log(grade.status, grade.points, "/", grade.maxPoints);
 * ```
 * @module
 */
import { join, relative, resolve } from "node:path";
import { tmpdir } from "node:os";
import type { Kata } from "../catalog/katas.ts";
import { type KataRun, kataTestFiles, parseJUnit } from "../runner/run_tests.ts";
import { kataCensus } from "../catalog/census.ts";
import { clip } from "./bounded.ts";
import { type CensusCase, censusFrom, censusFromTap, matchRun } from "./cases.ts";
import {
  checkFailure,
  cleanMessage,
  isDenied,
  type MessagePaths,
  modulePath,
  outOfMemory,
  uncaughtErrors,
} from "./diagnose.ts";
import { checkKataSandboxed, runKataTestsSandboxed, type RunPlace, type TestRun } from "./graded_run.ts";
import { detectIsolation, type Isolation } from "./isolation.ts";
import { type Captured, type Measure, parseCaptured, truncateOutput } from "./output.ts";
import { earnedPoints, splitPoints } from "../catalog/points.ts";
import { stageSubmission } from "./submission.ts";
import { parseTap, type TapReport } from "./tap.ts";

/** Seconds a kata's tests may run when neither `--timeout` nor `kata.json` says: 4x a kata's 30 s budget. */
export const DEFAULT_TIMEOUT_S = 120;

/** Default memory cap of a graded process in MiB (resident; the V8 heap gets half). */
export const DEFAULT_MEMORY_MIB = 4096;

/** The longest message kept for one test, in characters. */
export const MESSAGE_LIMIT = 4000;

/** The longest message kept for a kata, in characters. */
export const KATA_MESSAGE_LIMIT = 8000;

/** Exercism's statuses. */
export type Status = "pass" | "fail" | "error";

/** One test's grade. */
export interface TestGrade {
  /** Full name (`suite > step`). */
  name: string;
  /** `error`: it did not finish (timeout, crash, denied permission) or never ran. */
  status: Status;
  /** Why it did not pass. */
  message?: string;
  /** What the code printed during it (at most 500 characters). */
  output?: string;
  /** What it measured (`lib/testing/measure.ts`): informational, never points. */
  measures?: Measure[];
  /** Points earned. */
  points: number;
  /** Points it is worth. */
  maxPoints: number;
  /** True for a test from `--extra-tests`. */
  hidden: boolean;
}

/** One kata's grade. */
export interface KataGrade {
  /** `01-input-scaling`. */
  slug: string;
  /** From `kata.json`. */
  title: string;
  /** `pass`: every test passed; `error`: no test ran; else `fail`. */
  status: Status;
  /** What went wrong, when something did besides failing tests. */
  message?: string;
  /** Points earned. */
  points: number;
  /** The kata's points. */
  maxPoints: number;
  /** Every test of the kata. */
  tests: TestGrade[];
  /** Wall-clock seconds spent on the kata. */
  seconds: number;
}

/** How to grade. */
export interface GradeContext {
  /** The repository root (holding `deno.json`, `katas/`, `lib/`). */
  root: string;
  /** The submission, laid out like `katas/`. */
  submission: string;
  /** Course staff's extra tests, laid out like `katas/`. */
  extraTests?: string;
  /** Time limit in seconds for every kata (default 120). */
  timeoutSeconds?: number;
  /** Memory cap in MiB (default 4096). */
  memoryMiB?: number;
  /** Extra `KATA_*` variables for the tests (e.g. `KATA_SEED`). */
  env?: Record<string, string>;
  /** The kata's test cases, being listed (see {@linkcode runCensus}); listed here when absent. */
  census?: Promise<CensusCase[]>;
  /** Aborts grading (the grader was interrupted). */
  signal?: AbortSignal;
  /** How graded processes are isolated (default: bubblewrap where it works, see `isolation.ts`). */
  isolation?: Isolation;
  /** Where the grader's temporary folders go (default: the system's). */
  tempDir?: string;
  /** Where staged submissions are kept (default `STAGING_DIR` of `submission.ts`). */
  stagingDir?: string;
  /**
   * Katas whose tests were type-checked already, without an error, against a staged copy (kata slug →
   * that staged folder; see `grade_submission.ts`): such a kata is not type-checked again.
   */
  typeChecked?: ReadonlyMap<string, string>;
}

function limits(ctx: GradeContext) {
  const memoryMiB = ctx.memoryMiB ?? DEFAULT_MEMORY_MIB;
  return { seconds: ctx.timeoutSeconds ?? DEFAULT_TIMEOUT_S, memoryMiB };
}

/** A temporary folder with a scratch folder in it, removed after `use` whatever happens. */
async function withWork<T>(
  ctx: GradeContext,
  use: (work: string, scratch: string) => Promise<T>,
): Promise<T> {
  const work = await Deno.makeTempDir({ dir: ctx.tempDir, prefix: "ml-katas-grade-" });
  try {
    const scratch = join(work, "scratch");
    await Deno.mkdir(scratch);
    return await use(work, scratch);
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/** Turns an error of the sandbox itself (bubblewrap could not start) into an exception. */
function sandboxFailure(run: { code: number; stderr: string }): void {
  const line = run.stderr.split("\n").find((l) => l.startsWith("bwrap: "));
  if (line && run.code !== 0) throw new Error(`the sandbox did not start: ${line}`);
}

/** Where the grader caches censuses (by the content of the tests: a new course version is listed afresh). */
export const CENSUS_CACHE: string = join(tmpdir(), "ml-katas-census");

/**
 * The complete list of the kata's test cases (the kata's own and the hidden ones), whatever the graded
 * code does: the census every tool counts from (`catalog/census.ts`). It loads the course's own code —
 * `solutions/` where the course has it, else the published stubs in `katas/` — never the submission.
 *
 * @example Usage
 * ```ts ignore
 * import { runCensus } from "./grade_kata.ts";
 * const cases = await runCensus(kata, { root: ROOT, submission: "/tmp/learner/katas" });
 * ```
 * @param kata The kata.
 * @param ctx The grading context (root, extra tests).
 * @returns The cases, each with its absolute test file.
 */
export async function runCensus(kata: Kata, ctx: GradeContext): Promise<CensusCase[]> {
  const cases = await kataCensus(kata, { root: ctx.root, extraTests: ctx.extraTests, cache: CENSUS_CACHE });
  return cases.map(({ name, file }) => ({ name, file }));
}

/**
 * Runs the kata's tests against its published stub in `root/katas/` (sandboxed, no type-check), as a
 * submission would be run: `deno task verify` checks that every test fails there.
 *
 * @example Usage
 * ```ts ignore
 * import { runStub } from "./grade_kata.ts";
 * const stub = await runStub(kata, { root: ROOT, submission: `${ROOT}/solutions` });
 * ```
 * @param kata The kata.
 * @param ctx The grading context (root, extra tests, limits).
 * @returns The run (JUnit cases and the TAP stream in `stdout`).
 */
export async function runStub(kata: Kata, ctx: GradeContext): Promise<KataRun> {
  const isolation = ctx.isolation ?? await detectIsolation("auto");
  return await withWork(ctx, async (work, scratch) => {
    const place: RunPlace = {
      ...placeOf(kata, ctx, work, scratch, isolation),
      code: join(ctx.root, "katas"),
      trusted: true,
    };
    const run = await runKataTestsSandboxed(place, { ...limits(ctx), signal: ctx.signal });
    sandboxFailure(run);
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    return {
      cases: run.junit ? parseJUnit(run.junit) : [],
      code: run.code,
      output: run.stdout + run.stderr,
      stdout: run.stdout,
      stderr: run.stderr,
      signal: run.signal,
      stopped: run.timedOut,
    };
  });
}

function placeOf(
  kata: Kata,
  ctx: GradeContext,
  work: string,
  scratch: string,
  isolation: Isolation,
): RunPlace {
  return {
    root: ctx.root,
    kata,
    code: ctx.submission,
    extraTests: ctx.extraTests,
    work,
    scratch,
    isolation,
    env: ctx.env,
  };
}

/** Type-checks the kata's tests against the staged submission; returns the errors, if any. */
async function typeCheck(
  place: RunPlace,
  ctx: GradeContext,
  paths: MessagePaths,
  showHidden: boolean,
): Promise<string | undefined> {
  const { seconds } = limits(ctx);
  const result = await checkKataSandboxed(place, { seconds, memoryMiB: 0, signal: ctx.signal });
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  if (result.code === 0 && !result.timedOut) return undefined;
  if (result.timedOut) return `type-checking did not finish within ${seconds} s`;
  sandboxFailure(result);
  const blocks = checkFailure(result.stderr, paths).split("\n\n");
  const hidden = showHidden ? [] : blocks.filter((b) => b.includes("<extra-tests>/"));
  const shown = blocks.filter((b) => !hidden.includes(b));
  if (hidden.length) shown.push(`(${hidden.length} more error(s) in hidden tests, details hidden)`);
  return clip(shown.join("\n\n"), KATA_MESSAGE_LIMIT);
}

/** What ended a run early, in words for each test it cut off. */
interface Fate {
  /** For the kata message. */
  summary: string;
  /** For the test that was running. */
  running: string;
  /** For the tests that never started. */
  notRun: string;
}

/** Deno's own words when a Worker asks for permissions it cannot have without an unstable flag. */
const WORKER_PERMISSIONS = /Unstable API 'Worker\.deno\.permissions'/;

function fateOf(
  run: TestRun,
  tap: TapReport,
  captured: Captured,
  seconds: number,
  memoryMiB: number,
): Fate | undefined {
  if (run.timedOut) {
    const deepest = tap.pending.toSorted((a, b) => b.length - a.length)[0];
    const what = deepest ? ` while running "${deepest.join(" > ")}"` : "";
    return {
      summary: `timed out after ${seconds} s${what}; tests that finished before keep their results`,
      running: `timed out: still running after the kata's ${seconds} s limit`,
      notRun: `not run: the kata timed out after ${seconds} s`,
    };
  }
  if (run.memoryExceeded) {
    return {
      summary: `stopped: the test process used more than ${memoryMiB} MiB of memory`,
      running: `stopped while running: the test process used more than ${memoryMiB} MiB of memory`,
      notRun: `not run: the test process was stopped for using more than ${memoryMiB} MiB of memory`,
    };
  }
  if (outOfMemory(run.stderr)) {
    const heap = Math.round(memoryMiB / 2);
    return {
      summary: `ran out of memory: the JavaScript heap limit is ${heap} MiB`,
      running: `ran out of memory (JavaScript heap limit ${heap} MiB) during this test`,
      notRun: `not run: the test process ran out of memory`,
    };
  }
  const exit = captured.exits.find((e) => e.test !== "");
  if (exit || (tap.bailOut && /exit/i.test(tap.bailOut))) {
    const call = `Deno.exit(${exit?.code ?? ""})`;
    return {
      summary: `the code under test called ${call} during a test; the remaining tests did not run`,
      running: `called ${call} during this test`,
      notRun: `not run: the code under test called ${call}`,
    };
  }
  if (WORKER_PERMISSIONS.test(run.stderr)) {
    const why =
      "a Worker asked for permissions of its own (the `deno.permissions` option), which graded code " +
      "may not do, and Deno ended the test process";
    return { summary: why, running: `${why} during this test`, notRun: `not run: ${why}` };
  }
  if (!tap.finished) {
    const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
    return {
      summary: `the test process ${how} before the tests finished`,
      running: `the test process ${how} during this test`,
      notRun: `not run: the test process ${how}`,
    };
  }
  return undefined;
}

/** A census case with its grade, before points and redaction. */
type Graded = CensusCase & Pick<TestGrade, "status" | "message" | "output" | "measures">;

/**
 * Grades one kata of `ctx.submission`. Whatever goes wrong while staging, running or reading
 * the results becomes the kata's `error` with the reason; only an interruption (`ctx.signal`)
 * is thrown.
 *
 * @example Usage
 * ```ts ignore
 * import { gradeKata } from "./grade_kata.ts";
 * const grade = await gradeKata(kata, { root: ROOT, submission: "/tmp/learner/katas", timeoutSeconds: 60 });
 * ```
 * @param kata The kata.
 * @param ctx Where the submission is, limits, extra tests.
 * @param showHidden Include messages and output of hidden tests.
 * @returns The kata's grade.
 */
export async function gradeKata(kata: Kata, ctx: GradeContext, showHidden = false): Promise<KataGrade> {
  const started = performance.now();
  let census = ctx.census;
  try {
    const isolation = ctx.isolation ?? await detectIsolation("auto");
    const inContext = { ...ctx, isolation };
    census ??= runCensus(kata, inContext);
    census?.catch(() => {}); // awaited below; an early return must not leave it unobserved
    return await withWork(
      inContext,
      (work, scratch) => gradeIn(kata, inContext, showHidden, census, work, scratch, started),
    );
  } catch (error) {
    if (ctx.signal?.aborted) {
      await census?.catch(() => {}); // its folders and processes are gone before this returns
      throw error;
    }
    const why = `the grader could not grade this kata: ${
      clip(error instanceof Error ? error.message : String(error), 2000)
    }`;
    const cases = await knownCases(census, ctx.signal).catch(() => []);
    const paths = { root: ctx.root, submission: ctx.submission };
    return assemble(
      kata,
      cases.map((c) => ({ ...c, status: "error" as const, message: `not run: ${why}` })),
      why,
      paths,
      showHidden,
      performance.now() - started,
    );
  }
}

async function gradeIn(
  kata: Kata,
  ctx: GradeContext & { isolation: Isolation },
  showHidden: boolean,
  census: Promise<CensusCase[]> | undefined,
  work: string,
  scratch: string,
  started: number,
): Promise<KataGrade> {
  const staged = await stageSubmission(resolve(ctx.submission), kata, ctx.stagingDir);
  const paths: MessagePaths = {
    root: ctx.root,
    submission: staged.dir ?? resolve(ctx.submission),
    scratch,
    extraTests: ctx.extraTests ? resolve(ctx.extraTests) : undefined,
  };
  const finish = (graded: Graded[], message?: string) =>
    assemble(kata, graded, message, paths, showHidden, performance.now() - started);
  const notRun = async (why: string, message: string) =>
    finish(
      (await knownCases(census, ctx.signal)).map((c) => ({
        ...c,
        status: "error",
        message: `not run: ${why}`,
      })),
      message,
    );
  if (staged.problem) return await notRun(staged.problem, staged.problem);
  const place: RunPlace = { ...placeOf(kata, ctx, work, scratch, ctx.isolation), code: paths.submission };
  const checkedAlready = staged.dir !== undefined && ctx.typeChecked?.get(kata.slug) === staged.dir;
  const compileErrors = checkedAlready ? undefined : await typeCheck(place, ctx, paths, showHidden);
  // Like `deno task kata`, a type error fails the test files it reaches; the others still run.
  const broken = compileErrors === undefined ? [] : await filesThatDoNotCompile(place, ctx);
  const { seconds, memoryMiB } = limits(ctx);
  // The kata's own tests run first, in a process of their own; the hidden tests run after them in
  // another, so nothing graded code sees during a hidden test can reach a public test's report.
  const hasHidden = ctx.extraTests !== undefined &&
    (await Deno.stat(join(resolve(ctx.extraTests), kata.slug)).catch(() => undefined))?.isDirectory === true;
  const ownTests = kata.tests.map((name) => join(kata.dir, name));
  const hiddenTests = hasHidden
    ? (await kataTestFiles(kata, ctx.extraTests)).filter((f) => !ownTests.includes(f))
    : [];
  const runnable = (files: string[]) => files.filter((f) => !broken.includes(f));
  if (compileErrors !== undefined && runnable([...ownTests, ...hiddenTests]).length === 0) {
    return await notRun(
      "the submission does not compile (see the kata message)",
      `the submission does not compile: ${compileErrors}`,
    );
  }
  const parts = [
    { place: { ...place, extraTests: undefined, only: runnable(ownTests) }, hidden: false },
    ...(hasHidden
      ? [{ place: { ...place, hiddenOnly: true, only: runnable(hiddenTests) }, hidden: true }]
      : []),
  ].filter((part) => part.place.only.length > 0);
  const runs: { place: RunPlace; hidden: boolean; run: TestRun }[] = [];
  for (const part of parts) {
    const run = await runKataTestsSandboxed(part.place, { seconds, memoryMiB, signal: ctx.signal });
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    sandboxFailure(run);
    runs.push({ ...part, run });
  }
  const known = await knownCases(census, ctx.signal); // the census ran beside the tests
  const notCompiled = (c: CensusCase) => broken.some((f) => modulePath(c.file, ctx.root) === f);
  const graded: Graded[] = known.filter(notCompiled).map((c) => ({
    ...c,
    status: "error" as const,
    message: "not run: its test file does not compile (see the kata message)",
  }));
  const notes: string[] = compileErrors === undefined
    ? []
    : [`some test files do not compile; the others ran: ${compileErrors}`];
  for (const part of runs) {
    const cases = known.filter((c) => hiddenFile(c.file, paths) === part.hidden && !notCompiled(c));
    const judged = await judge({ ...part, cases, ctx, paths, showHidden, seconds, memoryMiB });
    graded.push(...judged.graded);
    notes.push(...judged.notes.map((note) => part.hidden ? `hidden tests: ${note}` : note));
  }
  const order = new Map(known.map((c, i) => [c.name, i]));
  graded.sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity));
  return finish(graded, notes.length ? notes.join("\n") : undefined);
}

/**
 * The test files (the kata's and the hidden ones) that do not type-check on their own against the
 * submission: each is checked alone, in the sandbox, once the check of all of them together has failed.
 */
async function filesThatDoNotCompile(place: RunPlace, ctx: GradeContext): Promise<string[]> {
  const { seconds } = limits(ctx);
  const files = await kataTestFiles(place.kata, place.extraTests);
  const broken: string[] = [];
  for (const file of files) {
    const check = await checkKataSandboxed({ ...place, only: [file] }, {
      seconds,
      memoryMiB: 0,
      signal: ctx.signal,
    });
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    if (check.code !== 0 || check.timedOut) broken.push(file);
  }
  return broken;
}

/** One test process's outcome, per test case, and its notes for the kata message. */
async function judge(
  { place, hidden, run, cases, ctx, paths, showHidden, seconds, memoryMiB }: {
    place: RunPlace;
    hidden: boolean;
    run: TestRun;
    cases: CensusCase[];
    ctx: GradeContext;
    paths: MessagePaths;
    showHidden: boolean;
    seconds: number;
    memoryMiB: number;
  },
): Promise<{ graded: Graded[]; notes: string[] }> {
  const tap = parseTap(run.stdout);
  const captured = parseCaptured(run.record);
  if (cases.length === 0) {
    // Self-grading (or a census that found nothing): the run is its own list of cases.
    const leaves = run.junit ? parseJUnit(run.junit) : [];
    cases = leaves.length ? censusFrom(leaves, tap, tap.finished) : censusFromTap(tap);
  }
  const { cases: matched, foreign } = matchRun(cases, tap);
  const fate = fateOf(run, tap, captured, seconds, memoryMiB);
  // When the run ended early, its end explains the tests it never reached; otherwise a silent
  // module failed to load, and the record or a second look says why.
  const loadErrors = fate
    ? new Map<string, string>()
    : await notLoaded(place, ctx, matched, tap, captured, run, paths);
  const redact = hidden && !showHidden;
  const escaped = escapedErrors(captured, paths, loadErrors.size > 0, redact);
  const running = new Set(tap.pending.map((p) => p.join(" > ")));
  const firstMissing = matched.find((c) => c.status === "missing");
  const graded = matched.map((c): Graded => {
    const output = captured.output.get(c.name);
    const measures = captured.measures.get(c.name);
    const shown = {
      ...c,
      ...(output ? { output: truncateOutput(output) } : {}),
      ...(measures ? { measures } : {}),
    };
    if (c.status === "pass") return { ...shown, status: "pass" };
    if (c.status === "fail") {
      const denied = c.message !== undefined && isDenied(c.message);
      const message = c.message ? cleanMessage(c.message, paths) : escaped ?? "failed";
      return { ...shown, status: denied ? "error" : "fail", message };
    }
    const load = loadErrors.get(c.file);
    if (load) {
      return { ...shown, status: "error", message: `not run: its test module did not load: ${load}` };
    }
    if (!fate) {
      return { ...shown, status: "error", message: "not run: the test process ended without reporting it" };
    }
    const wasRunning = tap.pending.length ? running.has(c.name) : c === firstMissing;
    return { ...shown, status: "error", message: wasRunning ? fate.running : fate.notRun };
  });
  const notes: string[] = fate ? [fate.summary] : [];
  for (const [file, error] of loadErrors) {
    notes.push(
      redact
        ? "a test module did not load (details hidden)"
        : `${relativeFile(file, ctx.root)} did not load: ${error}`,
    );
  }
  if (escaped) notes.push(escaped);
  const denials = redact
    ? []
    : graded.filter((g) => g.status === "error" && g.message?.startsWith("permission denied"));
  if (denials.length) {
    const what = [
      ...new Set(denials.map((d) => d.message!.split(" (")[0].replace(/^permission denied: /, ""))),
    ];
    notes.push(`the sandbox denied ${what.slice(0, 10).join("; ")}${what.length > 10 ? "; …" : ""}`);
  }
  if (foreign.length) {
    // Graded code names its own tests; while hidden tests run, a name could carry their data.
    const listed = redact ? [] : foreign.slice(0, 20);
    notes.push(
      `ignored ${foreign.length} test(s) the kata does not have${
        listed.length ? `: ${listed.join(", ")}` : ""
      }${foreign.length > listed.length && listed.length ? ", …" : ""}`,
    );
  }
  if (run.dropped.stdout > 0) {
    notes.push(
      `the test process printed ${Math.round(run.dropped.stdout / 1024 / 1024)} MiB more than was read`,
    );
  }
  return { graded, notes };
}

function relativeFile(file: string, root: string): string {
  return relative(root, modulePath(file, root));
}

function hiddenFile(file: string, paths: MessagePaths): boolean {
  return paths.extraTests !== undefined && file !== "" &&
    modulePath(file, paths.root).startsWith(`${paths.extraTests}/`);
}

/** The census's cases, or none when there is no census, it failed or it found none. */
async function knownCases(
  census: Promise<CensusCase[]> | undefined,
  signal?: AbortSignal,
): Promise<CensusCase[]> {
  if (!census) return [];
  try {
    return await census;
  } catch (error) {
    if (signal?.aborted) throw error;
    return [];
  }
}

/** Deno's note when a module calls `Deno.exit()` while loading. */
const EXIT_NOTE = /(\S+) called `Deno\.exit\((-?\d*)\)` from outside any test/g;

/** The errors of test modules that reported no test (they failed to load), by TAP file name. */
async function notLoaded(
  place: RunPlace,
  ctx: GradeContext,
  cases: CensusCase[],
  tap: TapReport,
  captured: Captured,
  run: TestRun,
  paths: MessagePaths,
): Promise<Map<string, string>> {
  const reported = new Set(tap.files.map((f) => modulePath(f, ctx.root)));
  const silent = [
    ...new Set(cases.filter((c) => c.file && !reported.has(modulePath(c.file, ctx.root))).map((c) => c.file)),
  ];
  const errors = new Map<string, string>();
  if (silent.length === 0) return errors;
  // Deno.exit() while loading: the preload recorded it (Deno also says which module).
  const exit = captured.exits.find((e) => e.test === "");
  const noted = new Map([...`${run.stdout}\n${run.stderr}`.matchAll(EXIT_NOTE)].map((m) => [m[1], m[2]]));
  if (exit || noted.size) {
    for (const file of silent) {
      const code = exit?.code ?? noted.get(file) ?? [...noted.values()][0] ?? "";
      const at = exit?.at ? ` at ${cleanMessage(exit.at, paths)}` : "";
      errors.set(file, `the code under test called Deno.exit(${code}) while the module loaded${at}`);
    }
    return errors;
  }
  // One error escaped while the modules loaded (the preload recorded it): the silent modules
  // share that cause, usually the submission's module. Otherwise load the modules again, running
  // no test, with the default reporter, which prints each module's load error.
  const atLoad = captured.uncaught.filter((u) => u.test === "");
  const recorded = atLoad.length === 1
    ? clip(cleanMessage(atLoad[0].error, paths, 1), MESSAGE_LIMIT)
    : undefined;
  if (recorded) {
    for (const file of silent) errors.set(file, recorded);
    return errors;
  }
  const seconds = Math.min(30, limits(ctx).seconds);
  const again = await runKataTestsSandboxed(place, {
    seconds,
    memoryMiB: limits(ctx).memoryMiB,
    signal: ctx.signal,
    args: ["--filter=/^$/", "--reporter=pretty"],
  });
  const text = again.stdout;
  const found = uncaughtErrors(text, paths);
  const names = [...text.matchAll(/^(\S+) \(uncaught error\)$/gm)].map((m) => m[1]);
  for (const file of silent) {
    const index = names.findIndex((n) => modulePath(n, ctx.root) === modulePath(file, ctx.root));
    const fallback = atLoad[0]
      ? cleanMessage(atLoad[0].error, paths, 1)
      : "it stopped before running its tests";
    errors.set(file, clip(found[index] ?? fallback, MESSAGE_LIMIT));
  }
  return errors;
}

function escapedErrors(
  captured: Captured,
  paths: MessagePaths,
  loadFailed: boolean,
  redact: boolean,
): string | undefined {
  // A module that failed to load also shows up here, before any test started; that is reported already.
  const first = captured.uncaught.find((u) => !(loadFailed && u.test === ""));
  if (!first) return undefined;
  if (redact) return "an error escaped the tests (details hidden)";
  const where = first.test ? ` (after "${first.test}" started)` : "";
  return `an error escaped the tests${where}: ${clip(cleanMessage(first.error, paths, 1), MESSAGE_LIMIT)}`;
}

function assemble(
  kata: Kata,
  graded: Graded[],
  message: string | undefined,
  paths: MessagePaths,
  showHidden: boolean,
  ms: number,
): KataGrade {
  const split = splitPoints(kata.meta.points, graded.map((g) => g.name), kata.meta.weights);
  const ran = graded.some((g) => !(g.status === "error" && g.message?.startsWith("not run")));
  const tests = graded.map((g, i): TestGrade => {
    const hidden = hiddenFile(g.file, paths);
    const details = hidden && !showHidden ? {} : {
      ...(g.message ? { message: clip(g.message, MESSAGE_LIMIT) } : {}),
      ...(g.output ? { output: g.output } : {}),
      ...(g.measures ? { measures: g.measures } : {}),
    };
    return {
      name: g.name,
      status: g.status,
      ...details,
      points: g.status === "pass" ? split.points[i] : 0,
      maxPoints: split.points[i],
      hidden,
    };
  });
  tests.sort((a, b) => Number(a.hidden) - Number(b.hidden)); // the kata's own tests first
  const notes = [
    ...(message ? [message] : []),
    ...(split.unused.length ? [`kata.json weights name no test: ${split.unused.join(", ")}`] : []),
    ...(tests.length === 0 && !message ? ["no test of the kata ran"] : []),
  ];
  return {
    slug: kata.slug,
    title: kata.meta.title,
    status: tests.length > 0 && tests.every((t) => t.status === "pass") ? "pass" : ran ? "fail" : "error",
    ...(notes.length ? { message: clip(notes.join("\n"), KATA_MESSAGE_LIMIT) } : {}),
    points: earnedPoints(kata.meta.points, split.weights, graded.map((g) => g.status === "pass")),
    maxPoints: kata.meta.points,
    tests,
    seconds: ms / 1000,
  };
}
