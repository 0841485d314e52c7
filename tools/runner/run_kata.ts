/**
 * Runs a kata's tests (all of them, or one step's) against an implementation — the learner's `katas/`,
 * the reference `solutions/`, or any folder laid out like `katas/` — and accounts for every test of the
 * census: a test that passed, failed, sits in a file that does not compile, sits in a file that did not
 * load, or never reported because its process died. Nothing drops out of the count.
 *
 * The test files run side by side, one `deno test` process each (as many at once as there are cores),
 * after one `deno check` over all of them. What each test printed and every `measured()` value come
 * back too, for the report (`report.ts`).
 *
 * @example Usage
 * ```ts ignore
 * import { runKata } from "./run_kata.ts";
 * import { selectKatas } from "../catalog/katas.ts";
 * const [kata] = await selectKatas(["06"]);
 * const result = await runKata(kata, { step: 1 });
 * console.log(result.cases.filter((c) => c.status === "pass").length, "/", result.cases.length);
 * ```
 * @module
 */
import { join, relative, resolve } from "node:path";
import { type Kata, ROOT } from "../catalog/katas.ts";
import { writeImportMap } from "./import_map.ts";
import {
  abortedAfterReport,
  type CaseResult,
  mapLimited,
  readJUnitReport,
  TEST_PERMISSIONS,
} from "./run_tests.ts";
import { kataCensus, stepPrefix, type TestCase, testFileLabel } from "../catalog/census.ts";
import {
  checkFailure,
  cleanMessage,
  type MessagePaths,
  stripAnsi,
  uncaughtErrors,
} from "../grade/diagnose.ts";
import { checkTestFiles } from "./compile.ts";
import { type Measure, parseTestOutput } from "./test_output.ts";

/** Why a test did not pass. */
export type FailureCause = "test" | "compile" | "load" | "crash";

/** One census test's outcome. */
export interface CaseOutcome extends TestCase {
  /** Passed, or not. */
  status: "pass" | "fail";
  /** Why it failed: its assertion or error, its file not compiling, not loading, or its process dying. */
  cause?: FailureCause;
  /** The error with the stack frames in the kata's files, paths shown relative. */
  message?: string;
  /** What the test printed. */
  output?: string;
}

/** A kata run's outcome. */
export interface KataResult {
  /** The kata. */
  kata: Kata;
  /** The step run alone, if one was. */
  step?: number;
  /** Every census test of the run's selection, in census order. */
  cases: CaseOutcome[];
  /** The compiler's errors, once, when some test file does not type-check. */
  compileErrors?: string;
  /** Test files that did not load, with the error. */
  loadErrors: { file: string; error: string }[];
  /** What the tests measured, in the order reported. */
  measures: Measure[];
  /** Remarks about the run (an abort at exit after a complete report, tests the kata does not have). */
  notes: string[];
  /** Each test process's raw output, in file order (for `--verbose`). */
  raw: { file: string; text: string }[];
}

/** Options for {@linkcode runKata}. */
export interface RunKataOptions {
  /** The repository root (default: this repository). */
  root?: string;
  /** A directory laid out like `katas/` holding the implementation (default: the learner's `katas/`). */
  target?: string;
  /** Run only this step's tests. */
  step?: number;
  /** More environment variables for the tests (`KATA_SEED`, `KATA_MEASURE`, …). */
  env?: Record<string, string>;
  /** Stops the run: the test processes get SIGKILL. */
  signal?: AbortSignal;
  /** Called with each test file's raw output as its process ends. */
  onFileDone?: (file: string, text: string) => void;
}

/**
 * Runs `kata`'s tests (see the module doc).
 *
 * @example Usage
 * ```ts ignore
 * import { runKata } from "./run_kata.ts";
 * const result = await runKata(kata, { target: `${ROOT}/solutions`, env: { KATA_SEED: "3" } });
 * ```
 * @param kata The kata.
 * @param options Root, implementation, step, environment, stop signal.
 * @returns Every selected test's outcome, the compiler's errors, load errors and measurements.
 * @throws {Error} When `options.step` is not one of the kata's steps.
 */
export async function runKata(kata: Kata, options: RunKataOptions = {}): Promise<KataResult> {
  const root = options.root ?? ROOT;
  const target = resolve(options.target ?? join(root, "katas"));
  const { step } = options;
  if (step !== undefined && (!Number.isInteger(step) || step < 1 || step > kata.meta.steps.length)) {
    throw new Error(
      `kata ${kata.id} has steps 1 to ${kata.meta.steps.length}; there is no step ${step}`,
    );
  }
  const everything = await kataCensus(kata, { root });
  const census = everything.filter((c) => step === undefined || c.step === step);
  const files = [...new Set(census.map((c) => c.file))];
  const otherFiles = [...new Set(everything.map((c) => c.file))].filter((f) => !files.includes(f));
  const paths: MessagePaths = { root, submission: target, submissionName: relative(root, target) || "." };
  const tmp = await Deno.makeTempDir({ prefix: "ml-katas-run-" });
  try {
    const importMap = target === join(root, "katas")
      ? []
      : [`--import-map=${await writeImportMap(target, [kata], { root, dir: tmp })}`];
    const check = await checkTestFiles(files, importMap, root, options.signal);
    const runnable = files.filter((f) => !check.affected.includes(f));
    const filter = step === undefined ? [] : [`--filter=${stepPrefix(kata.id, step)}`];
    const env = { ...options.env, NO_COLOR: "1", KATA_MEASURE: options.env?.KATA_MEASURE ?? "report" };
    const runs = await mapLimited(runnable, navigator.hardwareConcurrency, async (file, i) => {
      const junit = join(tmp, `junit-${i}.xml`);
      const run = await runTestFile(
        ["test", ...TEST_PERMISSIONS, ...importMap, "--no-check", ...filter, `--junit-path=${junit}`, file],
        junit,
        root,
        env,
        options.signal,
      );
      options.onFileDone?.(file, run.text);
      return { file, ...run };
    });
    const result = account(
      kata,
      census,
      check.ok ? undefined : checkFailure(check.diagnostics, paths),
      check.affected,
      runs,
      { paths, step },
    );
    // One step alone: say so when the kata's other test files do not compile (they did not run).
    const others = step === undefined
      ? undefined
      : await checkTestFiles(otherFiles, importMap, root, options.signal);
    if (others && !others.ok) {
      const names = others.affected.map((f) => testFileLabel(f, kata.dir)).join(", ");
      result.notes.push(
        `other steps' test files do not compile (${names}): \`deno task kata ${kata.id}\` shows why`,
      );
    }
    return result;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** One test file's process: its JUnit cases, output, and how it ended. */
interface FileRun {
  file: string;
  cases: CaseResult[];
  text: string;
  status: Deno.CommandStatus;
  reported: boolean;
}

async function runTestFile(
  args: string[],
  junit: string,
  root: string,
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<Omit<FileRun, "file">> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  signal?.addEventListener("abort", kill, { once: true });
  const [status, stdout, stderr] = await Promise.all([
    child.status,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  signal?.removeEventListener("abort", kill);
  const { cases, reported } = await readJUnitReport(junit);
  return { cases, text: stripAnsi(stdout + stderr), status, reported };
}

/** Matches every census case to what happened to it. */
function account(
  kata: Kata,
  census: TestCase[],
  compileErrors: string | undefined,
  notCompiled: string[],
  runs: FileRun[],
  context: { paths: MessagePaths; step?: number },
): KataResult {
  const { paths, step } = context;
  const byFile = new Map(runs.map((r) => [r.file, r]));
  const loadErrors: KataResult["loadErrors"] = [];
  const notes: string[] = [];
  const measures: Measure[] = [];
  const output = new Map<string, string>();
  for (const run of runs) {
    const parsed = parseTestOutput(run.text);
    measures.push(...parsed.measures);
    for (const [name, text] of parsed.output) output.set(`${run.file}\0${name}`, text);
    if (run.cases.length === 0 && !run.status.success) {
      const [error] = uncaughtErrors(run.text, paths);
      if (error) loadErrors.push({ file: run.file, error });
    }
    if (abortedAfterReport(run.status, run.reported)) {
      notes.push(
        `${testFileLabel(run.file, kata.dir)}: deno aborted while exiting, after every test had reported ` +
          `(a crash in Deno's teardown of the wasm runtimes, not in the tests); its results are complete`,
      );
    }
    const known = new Set(census.filter((c) => c.file === run.file).map((c) => c.name));
    const foreign = run.cases.filter((c) => c.status !== "skip" && !known.has(c.name)).map((c) => c.name);
    if (foreign.length) notes.push(`ignored tests the kata does not have: ${foreign.join(", ")}`);
  }
  const cases = census.map((c): CaseOutcome => {
    const printed = output.get(`${c.file}\0${c.name}`);
    const withOutput = printed ? { output: printed } : {};
    if (notCompiled.includes(c.file)) {
      return {
        ...c,
        status: "fail",
        cause: "compile",
        message: "does not compile (the compiler's errors are above)",
      };
    }
    const run = byFile.get(c.file);
    const reported = run?.cases.find((r) => r.name === c.name);
    if (reported?.status === "pass") return { ...c, status: "pass", ...withOutput };
    if (reported?.status === "fail") {
      const message = cleanMessage(reported.detail ?? reported.message ?? "failed", paths, 4);
      return { ...c, status: "fail", cause: "test", message, ...withOutput };
    }
    const load = loadErrors.find((l) => l.file === c.file);
    if (load) {
      return { ...c, status: "fail", cause: "load", message: `its test file did not load: ${load.error}` };
    }
    const how = run?.status.signal
      ? `was killed by ${run.status.signal}`
      : `exited with code ${run?.status.code}`;
    return {
      ...c,
      status: "fail",
      cause: "crash",
      message: `did not report: the test process ${how} before this test finished`,
      ...withOutput,
    };
  });
  return {
    kata,
    ...(step === undefined ? {} : { step }),
    cases,
    ...(compileErrors === undefined ? {} : { compileErrors }),
    loadErrors,
    measures,
    notes,
    raw: runs.map((r) => ({ file: r.file, text: r.text })),
  };
}
