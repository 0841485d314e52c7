/**
 * Grades one kata of a submission: stages the submission's files, type-checks them against the
 * kata's tests, runs the tests in a sandboxed Deno process with a time limit and a memory cap,
 * and turns what happened into per-test statuses, messages, output and points.
 *
 * @example Usage
 * ```ts ignore
 * import { gradeKata } from "./grade_kata.ts";
 * import { listKatas, ROOT } from "../katas.ts";
 * const [kata] = await listKatas();
 * const grade = await gradeKata(kata, { root: ROOT, submission: `${ROOT}/solutions` });
 * console.log(grade.status, grade.points, "/", grade.maxPoints);
 * ```
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Kata } from "../katas.ts";
import { writeImportMap } from "../import_map.ts";
import { type KataRun, kataTestFiles, runKataTests } from "../run_tests.ts";
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
import { watchMemory } from "./memory.ts";
import { type Captured, readCaptured, truncateOutput } from "./output.ts";
import { earnedPoints, splitPoints } from "./points.ts";
import { DEPENDENCY_FLAGS, sandboxEnv, sandboxFlags } from "./sandbox.ts";
import { stageSubmission } from "./submission.ts";
import { parseTap, type TapReport } from "./tap.ts";

/** Seconds a kata's tests may run when neither `--timeout` nor `kata.json` says: 4x a kata's 30 s budget. */
export const DEFAULT_TIMEOUT_S = 120;

/** Default memory cap of a graded process in MiB (resident; the V8 heap gets half). */
export const DEFAULT_MEMORY_MIB = 4096;

const PRELOAD = fileURLToPath(new URL("./preload.ts", import.meta.url));

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
  /** Time limit in seconds for every kata (default: `kata.json`'s `timeout`, else 120). */
  timeoutSeconds?: number;
  /** Memory cap in MiB (default 4096). */
  memoryMiB?: number;
  /** Extra `KATA_*` variables for the tests (e.g. `KATA_SEED`). */
  env?: Record<string, string>;
  /** A census run already under way (see {@linkcode runCensus}); started here when absent. */
  census?: Promise<KataRun>;
  /** Aborts grading (the grader was interrupted). */
  signal?: AbortSignal;
}

/**
 * Runs the kata's tests against its published stub in `root/katas/` (sandboxed, no
 * type-check): the complete list of the kata's test cases, whatever the graded code does.
 *
 * @example Usage
 * ```ts ignore
 * import { runCensus } from "./grade_kata.ts";
 * const stub = await runCensus(kata, { root: ROOT, submission: `${ROOT}/solutions` });
 * ```
 * @param kata The kata.
 * @param ctx The grading context (root, extra tests, limits).
 * @returns The run (JUnit cases and the TAP stream in `stdout`).
 */
export async function runCensus(kata: Kata, ctx: GradeContext): Promise<KataRun> {
  const scratch = await Deno.makeTempDir({ prefix: "ml-katas-census-" });
  try {
    return await sandboxedRun(kata, ctx, join(ctx.root, "katas"), scratch, []);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

function limits(kata: Kata, ctx: GradeContext) {
  const memoryMiB = ctx.memoryMiB ?? DEFAULT_MEMORY_MIB;
  return { seconds: ctx.timeoutSeconds ?? kata.meta.timeout ?? DEFAULT_TIMEOUT_S, memoryMiB };
}

/** Runs the tests sandboxed against `target` with the time limit and the memory watchdog. */
async function sandboxedRun(
  kata: Kata,
  ctx: GradeContext,
  target: string,
  scratch: string,
  args: string[],
  seconds = limits(kata, ctx).seconds,
): Promise<KataRun & { timedOut: boolean; memoryExceeded: boolean }> {
  const { memoryMiB } = limits(kata, ctx);
  const timeout = AbortSignal.timeout(seconds * 1000);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  let watch: ReturnType<typeof watchMemory> | undefined;
  const run = await runKataTests(kata, {
    root: ctx.root,
    target,
    quiet: true,
    permissions: sandboxFlags({
      root: ctx.root,
      kataDir: kata.dir,
      submission: target === join(ctx.root, "katas") ? kata.dir : target,
      scratch,
      heapMiB: memoryMiB / 2,
    }),
    args: ["--no-check", "--reporter=tap", `--preload=${PRELOAD}`, ...args],
    env: sandboxEnv(scratch, { ...ctx.env, KATA_GRADE_OUTPUT: join(scratch, ".kata-output.jsonl") }),
    extraTests: ctx.extraTests,
    parallel: false,
    signal,
    onStart: (pid) => watch = watchMemory(pid, memoryMiB),
  });
  watch?.stop();
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  return { ...run, timedOut: timeout.aborted, memoryExceeded: watch?.exceeded ?? false };
}

/** Type-checks the kata's tests against the staged submission; returns the errors, if any. */
async function typeCheck(
  kata: Kata,
  ctx: GradeContext,
  work: string,
  paths: MessagePaths,
  showHidden: boolean,
): Promise<string | undefined> {
  const extraTests = ctx.extraTests ? [ctx.extraTests] : [];
  const map = await writeImportMap(paths.submission, [kata], { root: ctx.root, extraTests, dir: work });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["check", ...DEPENDENCY_FLAGS, `--import-map=${map}`, ...await kataTestFiles(kata, ctx.extraTests)],
    cwd: ctx.root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const { seconds } = limits(kata, ctx);
  const kill = () => child.kill("SIGKILL");
  const timer = setTimeout(kill, seconds * 1000);
  ctx.signal?.addEventListener("abort", kill);
  const result = await child.output();
  clearTimeout(timer);
  ctx.signal?.removeEventListener("abort", kill);
  if (ctx.signal?.aborted) throw ctx.signal.reason;
  if (result.success) return undefined;
  if (result.signal) return `type-checking did not finish within ${seconds} s`;
  const blocks = checkFailure(new TextDecoder().decode(result.stderr), paths).split("\n\n");
  const hidden = showHidden ? [] : blocks.filter((b) => b.includes("<extra-tests>/"));
  const shown = blocks.filter((b) => !hidden.includes(b));
  if (hidden.length) shown.push(`(${hidden.length} more error(s) in hidden tests, details hidden)`);
  return shown.join("\n\n");
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

function fateOf(
  run: KataRun & { timedOut: boolean; memoryExceeded: boolean },
  tap: TapReport,
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
  if (outOfMemory(run.stderr ?? "")) {
    const heap = Math.round(memoryMiB / 2);
    return {
      summary: `ran out of memory: the JavaScript heap limit is ${heap} MiB`,
      running: `ran out of memory (JavaScript heap limit ${heap} MiB) during this test`,
      notRun: `not run: the test process ran out of memory`,
    };
  }
  if (tap.bailOut && /Deno\.exit/.test(tap.bailOut)) {
    return {
      summary: `the code under test called Deno.exit(); the remaining tests did not run`,
      running: `called Deno.exit() during this test`,
      notRun: `not run: the code under test called Deno.exit()`,
    };
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
type Graded = CensusCase & Pick<TestGrade, "status" | "message" | "output">;

/**
 * Grades one kata of `ctx.submission`.
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
  const selfCensus = resolve(ctx.submission) === join(ctx.root, "katas");
  const census = ctx.census ?? (selfCensus ? undefined : runCensus(kata, ctx));
  census?.catch(() => {}); // awaited below; an early return must not leave it unobserved
  const work = await Deno.makeTempDir({ prefix: "ml-katas-grade-" });
  try {
    const scratch = join(work, "scratch");
    await Deno.mkdir(scratch);
    const staged = await stageSubmission(resolve(ctx.submission), kata);
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
    const compileErrors = await typeCheck(kata, ctx, work, paths, showHidden);
    if (compileErrors !== undefined) {
      return await notRun(
        "the submission does not compile (see the kata message)",
        `the submission does not compile: ${compileErrors}`,
      );
    }
    const run = await sandboxedRun(kata, ctx, paths.submission, scratch, []);
    const tap = parseTap(run.stdout ?? "");
    const captured = await readCaptured(join(scratch, ".kata-output.jsonl"));
    let cases = await knownCases(census, ctx.signal);
    if (cases.length === 0) {
      // Self-grading (or a census that found nothing): the run is its own list of cases.
      cases = run.cases.length ? censusFrom(run.cases, tap, tap.finished) : censusFromTap(tap);
    }
    const { cases: matched, foreign } = matchRun(cases, tap);
    const { seconds, memoryMiB } = limits(kata, ctx);
    const fate = fateOf(run, tap, seconds, memoryMiB);
    // When the run ended early, its end explains the tests it never reached; otherwise a silent
    // module failed to load, and a second look says why.
    const loadErrors = fate
      ? new Map<string, string>()
      : await notLoaded(kata, ctx, matched, tap, scratch, paths);
    const escaped = escapedErrors(captured, paths, loadErrors.size > 0);
    const running = new Set(tap.pending.map((p) => p.join(" > ")));
    const firstMissing = matched.find((c) => c.status === "missing");
    const graded = matched.map((c): Graded => {
      const output = captured.output.get(c.name);
      const shown = { ...c, ...(output ? { output: truncateOutput(output) } : {}) };
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
    for (const [file, error] of loadErrors) notes.push(`${relativeFile(file)} did not load: ${error}`);
    if (escaped) notes.push(escaped);
    const denials = graded.filter((g) => g.status === "error" && g.message?.startsWith("permission denied"));
    if (denials.length) {
      notes.push(
        `the sandbox denied ${
          [...new Set(denials.map((d) => d.message!.split(" (")[0].replace(/^permission denied: /, "")))]
            .join("; ")
        }`,
      );
    }
    if (foreign.length) notes.push(`ignored tests the kata does not have: ${foreign.join(", ")}`);
    return finish(graded, notes.length ? notes.join("\n") : undefined);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

function relativeFile(file: string): string {
  return file.replace(/^\.\//, "");
}

/** The census's cases, or none when there is no census, it failed or it found none. */
async function knownCases(census: Promise<KataRun> | undefined, signal?: AbortSignal): Promise<CensusCase[]> {
  if (!census) return [];
  try {
    const run = await census;
    return censusFrom(run.cases, parseTap(run.stdout ?? ""), true);
  } catch (error) {
    if (signal?.aborted) throw error;
    return [];
  }
}

/** The errors of test modules that reported no test (they failed to load), by TAP file name. */
async function notLoaded(
  kata: Kata,
  ctx: GradeContext,
  cases: CensusCase[],
  tap: TapReport,
  scratch: string,
  paths: MessagePaths,
): Promise<Map<string, string>> {
  const silent = [...new Set(cases.filter((c) => c.file && !tap.files.includes(c.file)).map((c) => c.file))];
  const errors = new Map<string, string>();
  if (silent.length === 0) return errors;
  // Load the modules again, running no test, with the default reporter, which prints load errors.
  const seconds = Math.min(30, limits(kata, ctx).seconds);
  const run = await sandboxedRun(
    kata,
    ctx,
    paths.submission,
    scratch,
    ["--filter=/^$/", "--reporter=pretty"],
    seconds,
  );
  const text = run.stdout ?? "";
  const found = uncaughtErrors(text, paths);
  const names = [...text.matchAll(/^(\S+) \(uncaught error\)$/gm)].map((m) => m[1]);
  for (const file of silent) {
    const index = names.findIndex((n) => modulePath(n, ctx.root) === modulePath(file, ctx.root));
    errors.set(file, found[index] ?? "it stopped before running its tests");
  }
  return errors;
}

function escapedErrors(captured: Captured, paths: MessagePaths, loadFailed: boolean): string | undefined {
  // A module that failed to load also shows up here, before any test started; that is reported already.
  const first = captured.uncaught.find((u) => !(loadFailed && u.test === ""));
  if (!first) return undefined;
  const where = first.test ? ` (after "${first.test}" started)` : "";
  return `an error escaped the tests${where}: ${cleanMessage(first.error, paths, 1)}`;
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
    const hidden = paths.extraTests !== undefined && g.file !== "" &&
      modulePath(g.file, paths.root).startsWith(`${paths.extraTests}/`);
    const details = hidden && !showHidden ? {} : {
      ...(g.message ? { message: g.message } : {}),
      ...(g.output ? { output: g.output } : {}),
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
    ...(notes.length ? { message: notes.join("\n") } : {}),
    points: earnedPoints(kata.meta.points, split.weights, graded.map((g) => g.status === "pass")),
    maxPoints: kata.meta.points,
    tests,
    seconds: ms / 1000,
  };
}
