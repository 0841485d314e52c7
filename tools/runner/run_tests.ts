/**
 * Runs one kata's tests against a chosen implementation (the learner's `katas/`, the
 * reference `solutions/`, or a submission) in a Deno subprocess, and reads the
 * per-test results from Deno's JUnit report.
 *
 * @example Usage
 * ```ts ignore
 * import { runKataTests } from "./run_tests.ts";
 * import { listKatas, ROOT } from "../catalog/katas.ts";
 * const [kata] = await listKatas();
 * const result = await runKataTests(kata, { target: `${ROOT}/solutions`, quiet: true });
 * console.log(result.cases.filter((c) => c.status === "pass").length);
 * ```
 * @module
 */
import { join, relative, resolve } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { type Kata, ROOT } from "../catalog/katas.ts";
import { kataTestFiles } from "../catalog/census.ts";
import { writeImportMap } from "./import_map.ts";
import { isDirectory } from "@lib/core/fs.ts";

/** The permissions kata tests run with: read files and the `KATA_*` settings. */
export const TEST_PERMISSIONS: readonly string[] = ["--allow-read", "--allow-env"];

/** One test case's outcome. */
export interface CaseResult {
  /** Full name, e.g. "input scaling > scaled pixels are in [0, 1]". */
  name: string;
  /** Outcome. */
  status: "pass" | "fail" | "skip";
  /** The failure message (first lines of the error), when failed. */
  message?: string;
  /** The whole failure text Deno reported (message, code frame, stack), when failed. */
  detail?: string;
}

/** A kata run's outcome. */
export interface KataRun {
  /** Leaf test cases (tests and steps without steps of their own). */
  cases: CaseResult[];
  /** `deno test`'s exit code. */
  code: number;
  /** Combined output, when run quietly. */
  output: string;
  /** Standard output alone, when run quietly. */
  stdout?: string;
  /** Standard error alone, when run quietly. */
  stderr?: string;
  /** The signal that ended the process, if one did. */
  signal?: Deno.Signal | null;
  /** True when `options.signal` stopped the run before it finished. */
  stopped?: boolean;
}

/** Options for {@linkcode runKataTests}. */
export interface RunOptions {
  /** Directory laid out like `katas/` holding the implementation; default the learner's `katas/`. */
  target?: string;
  /** Capture output instead of streaming it to the terminal. */
  quiet?: boolean;
  /** Extra environment variables (e.g. `KATA_SEED`). */
  env?: Record<string, string>;
  /** Extra `deno test` arguments placed before the path (e.g. `--filter`). */
  args?: string[];
  /** The repository root holding `deno.json` and `katas/` (default: this repository). */
  root?: string;
  /** Permission flags (default {@linkcode TEST_PERMISSIONS}). */
  permissions?: readonly string[];
  /** A directory laid out like `katas/` with more tests: `<extraTests>/<slug>/` runs in the same process. */
  extraTests?: string;
  /**
   * Stops the run when aborted: SIGINT to the test process's group (Deno then reports the tests
   * that finished and the one that was running), SIGKILL {@linkcode STOP_GRACE_MS} later.
   * The process runs in its own process group when this is given.
   */
  signal?: AbortSignal;
  /** Called with the test process's id (also its process group's id when `signal` is given). */
  onStart?: (pid: number) => void;
  /**
   * Run each of the kata's test files in its own `deno test` process, as many at once as there are
   * cores ({@linkcode mapLimited}). Default true: a kata split over several files answers sooner.
   * The grader turns it off and runs one process, whose time and memory it limits.
   */
  parallel?: boolean;
}

/** How long a stopped run may take to report before it is killed, in milliseconds. */
export const STOP_GRACE_MS = 3000;

interface JUnitCase {
  "@_name": string;
  failure?: { "@_message"?: string; "#text"?: string } | string;
  skipped?: unknown;
}

/**
 * Parses Deno's JUnit XML into leaf test cases (a case whose name prefixes another's
 * `name > ` is a group, not a test).
 *
 * @example Usage
 * ```ts
 * import { parseJUnit } from "./run_tests.ts";
 * const xml = `<testsuites><testsuite name="a"><testcase name="t"/></testsuite></testsuites>`;
 * console.log(parseJUnit(xml)); // [{ name: "t", status: "pass" }]
 * ```
 * @param xml The report.
 * @returns The leaf cases in report order.
 */
export function parseJUnit(xml: string): CaseResult[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (name) => name === "testsuite" || name === "testcase",
  });
  const doc = parser.parse(xml);
  const suites: { testcase?: JUnitCase[] }[] = doc?.testsuites?.testsuite ?? [];
  const all = suites.flatMap((s) => s.testcase ?? []);
  const names = all.map((c) => c["@_name"]);
  return all
    .filter((c) => !names.some((n) => n.startsWith(`${c["@_name"]} > `)))
    .map((c) => {
      if (c.skipped !== undefined) return { name: c["@_name"], status: "skip" as const };
      if (c.failure === undefined) return { name: c["@_name"], status: "pass" as const };
      const raw = typeof c.failure === "string" ? c.failure : c.failure["@_message"] ?? "";
      const message = raw.replace(/^Uncaught /, "").split("\n").slice(0, 3).join("\n");
      const body = typeof c.failure === "string" ? c.failure : c.failure["#text"];
      const detail = typeof body === "string" && body ? body : raw.replace(/^Uncaught /, "");
      return { name: c["@_name"], status: "fail" as const, message, detail };
    });
}

/**
 * Reads a JUnit report that a `deno test` process may or may not have written.
 *
 * @example Usage
 * ```ts
 * import { readJUnitReport } from "./run_tests.ts";
 * console.log(await readJUnitReport("/no/such/report.xml")); // { cases: [], reported: false }
 * ```
 * @param path The report's path.
 * @returns Its leaf cases, and whether it existed.
 */
export async function readJUnitReport(path: string): Promise<{ cases: CaseResult[]; reported: boolean }> {
  try {
    return { cases: parseJUnit(await Deno.readTextFile(path)), reported: true };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { cases: [], reported: false };
    throw error;
  }
}

/**
 * Runs `kata`'s tests against `options.target` and returns per-case results.
 *
 * @example Usage
 * ```ts ignore
 * import { runKataTests } from "./run_tests.ts";
 * const run = await runKataTests(kata, { quiet: true });
 * ```
 * @param kata The kata.
 * @param options Target, quietness, environment, extra arguments, permissions and a stop signal.
 * @returns The run's results.
 */
export async function runKataTests(kata: Kata, options: RunOptions = {}): Promise<KataRun> {
  const root = options.root ?? ROOT;
  const tmp = await Deno.makeTempDir({ prefix: "ml-katas-run-" });
  const target = resolve(options.target ?? join(root, "katas"));
  const extra = options.extraTests ? join(resolve(options.extraTests), kata.slug) : undefined;
  const dirs = [relative(root, kata.dir)];
  if (extra && await isDirectory(extra)) dirs.push(extra);
  const importMap: string[] = [];
  if (target !== join(root, "katas") || dirs.length > 1) {
    const extraTests = dirs.length > 1 ? [options.extraTests!] : [];
    importMap.push(`--import-map=${await writeImportMap(target, [kata], { root, extraTests, dir: tmp })}`);
  }
  const files = options.parallel ?? true ? await kataTestFiles(kata, options.extraTests) : [];
  const groups = files.length > 0 ? files.map((file) => [file]) : [dirs];
  const checked = groups.length > 1 && await checkTogether(files, importMap, root, options.signal);
  const base = [
    "test",
    ...(options.permissions ?? TEST_PERMISSIONS),
    ...importMap,
    ...(checked ? ["--no-check"] : []),
    ...(options.args ?? []),
  ];
  const runs = await mapLimited(groups, navigator.hardwareConcurrency, (paths, i) => {
    const junit = join(tmp, `junit-${i}.xml`);
    return runProcess([...base, `--junit-path=${junit}`, ...paths], junit, root, options, groups.length > 1);
  });
  await Deno.remove(tmp, { recursive: true });
  const failed = runs.find((r) => r.status.code !== 0) ?? runs[0];
  const stdout = runs.map((r) => r.stdout).join("");
  const stderr = runs.map((r) => r.stderr).join("");
  return {
    cases: runs.flatMap((r) => r.cases),
    code: failed.status.code,
    output: stdout + stderr,
    stdout,
    stderr,
    signal: failed.status.signal,
    stopped: options.signal?.aborted ?? false,
  };
}

/**
 * Type-checks test files in one `deno check`, one module graph, so that the `deno test` processes that
 * run them side by side can skip checking. After an edit each process would otherwise check its own
 * graph, tfjs's types included: 2–3 s of CPU each (kata 03 has five files). When nothing changed,
 * Deno's check cache answers in about 0.06 s. When the check fails, the processes check for themselves
 * and each reports its own type errors, as without this step.
 *
 * @param files The test files.
 * @param importMap The `--import-map` argument the tests run with, if any.
 * @param root The repository root (its `deno.json` applies).
 * @param signal Stops the check.
 * @returns Whether the files type-check.
 */
async function checkTogether(
  files: string[],
  importMap: string[],
  root: string,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["check", ...importMap, ...files],
      cwd: root,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      signal,
    }).output();
    return success;
  } catch (error) {
    if (signal?.aborted) return false; // stopped: the test processes stop at once too
    throw error;
  }
}

export { kataTestFiles } from "../catalog/census.ts";

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the order; runs a kata's
 * test files side by side, one `deno test` process each.
 *
 * @example Usage
 * ```ts
 * import { mapLimited } from "./run_tests.ts";
 * const doubled = await mapLimited([1, 2, 3], 2, async (n) => n * 2); // [2, 4, 6]
 * ```
 * @param items The inputs.
 * @param limit The most calls running at once (at least 1).
 * @param fn The work, given an item and its index.
 * @returns The results in the order of `items`.
 */
export async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** What a run says when the process aborted after writing its complete report. */
const ABORT_NOTE = "note: deno crashed while exiting, after every test had reported (a double free in " +
  "libEGL's exit-time teardown, not in the tests; RELIABILITY.md); the results above are complete.\n";

/**
 * The second line of defence against the exit abort of RELIABILITY.md: Deno 2.9.6 crashed (SIGABRT,
 * exit code 134: "double free or corruption", "corrupted size vs. prev_size"; or SIGSEGV, 139) after
 * the last test had reported, in about 1 run in 100 of a `deno test` process that had loaded OpenGL
 * through libEGL (which `initBackend`'s WebGPU probe did, before it kept OpenGL out): libEGL's
 * destructor frees every thread's EGL state at `exit()` while the thread that ran the tests may still
 * be exiting and freeing its own. The probe no longer loads libEGL, so this should not happen; when
 * it does (`KATA_BACKEND=webgpu` on a machine whose only adapter is Mesa's OpenGL one, or
 * `DENO_WEBGPU_BACKEND=gl`), the report is complete and the run counts by its tests. A crash before
 * the report was written stays a failure.
 *
 * @example Usage
 * ```ts
 * import { abortedAfterReport } from "./run_tests.ts";
 * abortedAfterReport({ success: false, code: 134, signal: null }, true); // true
 * abortedAfterReport({ success: false, code: 139, signal: null }, true); // true: SIGSEGV, same cause
 * abortedAfterReport({ success: false, code: 134, signal: null }, false); // false: no report
 * ```
 * @param status The process's exit status.
 * @param reported Whether its JUnit report was written.
 * @returns Whether the process aborted or crashed after a complete report.
 */
export function abortedAfterReport(status: Deno.CommandStatus, reported: boolean): boolean {
  return reported && isCrash(status);
}

/**
 * Whether a process crashed (SIGABRT: exit code 134; SIGSEGV: 139) rather than exiting or being
 * killed: how the exit abort of RELIABILITY.md ends a process.
 *
 * @example Usage
 * ```ts
 * import { isCrash } from "./run_tests.ts";
 * console.log(isCrash({ code: 134, signal: null })); // true
 * console.log(isCrash({ code: 1, signal: null })); // false: a test failed
 * ```
 * @param status The exit code and the signal that ended the process, if any.
 * @returns `true` for an abort or a segmentation fault.
 */
export function isCrash(status: { code: number; signal: Deno.Signal | null }): boolean {
  return status.code === 134 || status.code === 139 || status.signal === "SIGABRT" ||
    status.signal === "SIGSEGV";
}

/** One `deno test` process: its status, output (when captured) and JUnit cases. */
async function runProcess(
  args: string[],
  junit: string,
  root: string,
  options: RunOptions,
  buffered: boolean,
): Promise<{ status: Deno.CommandStatus; stdout: string; stderr: string; cases: CaseResult[] }> {
  const capture = options.quiet || buffered;
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: options.env,
    stdin: "null",
    stdout: capture ? "piped" : "inherit",
    stderr: capture ? "piped" : "inherit",
    detached: options.signal !== undefined,
  }).spawn();
  options.onStart?.(child.pid);
  const stopper = options.signal ? stopOnAbort(child, options.signal) : undefined;
  const [status, stdout, stderr] = await Promise.all([
    child.status,
    capture ? new Response(child.stdout).text() : "",
    capture ? new Response(child.stderr).text() : "",
  ]);
  stopper?.dispose();
  // Side by side, each process's report is printed whole when it ends, not interleaved.
  if (buffered && !options.quiet) {
    await Deno.stdout.write(new TextEncoder().encode(stdout));
    await Deno.stderr.write(new TextEncoder().encode(stderr));
  }
  const { cases, reported } = await readJUnitReport(junit);
  const note = abortedAfterReport(status, reported) ? ABORT_NOTE : "";
  if (note && !options.quiet) console.error(note);
  return {
    status: note ? { ...status, code: cases.some((c) => c.status === "fail") ? 1 : 0, signal: null } : status,
    stdout: options.quiet ? stdout : "",
    stderr: options.quiet ? stderr + note : "",
    cases,
  };
}

/** Signals a process group, ignoring a group that has already exited. */
function signalGroup(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pid, signal);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function stopOnAbort(child: Deno.ChildProcess, signal: AbortSignal): { dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    signalGroup(child.pid, "SIGINT");
    timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), STOP_GRACE_MS);
  };
  if (signal.aborted) stop();
  else signal.addEventListener("abort", stop, { once: true });
  return {
    dispose() {
      signal.removeEventListener("abort", stop);
      clearTimeout(timer);
      // Whatever the test process left behind in its group goes with it.
      signalGroup(child.pid, "SIGKILL");
    },
  };
}
