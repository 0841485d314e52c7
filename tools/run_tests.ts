/**
 * Runs one kata's tests against a chosen implementation (the learner's `katas/`, the
 * reference `solutions/`, or a submission) in a Deno subprocess, and reads the
 * per-test results from Deno's JUnit report.
 *
 * @example Usage
 * ```ts ignore
 * import { runKataTests } from "./run_tests.ts";
 * import { listKatas, ROOT } from "./katas.ts";
 * const [kata] = await listKatas();
 * const result = await runKataTests(kata, { target: `${ROOT}/solutions`, quiet: true });
 * console.log(result.cases.filter((c) => c.status === "pass").length);
 * ```
 * @module
 */
import { join, relative, resolve } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { type Kata, ROOT } from "./katas.ts";
import { writeImportMap } from "./import_map.ts";

/** The permissions kata tests run with: read files and the `KATA_*` settings. */
export const TEST_PERMISSIONS: readonly string[] = ["--allow-read", "--allow-env"];

/** One test case's outcome. */
export interface CaseResult {
  /** Full name, e.g. "input scaling > scaled pixels are in [0, 1]". */
  name: string;
  /** Outcome. */
  status: "pass" | "fail" | "skip";
  /** The failure message (first line of the error), when failed. */
  message?: string;
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
   * Run the kata's test files side by side (`deno test --parallel`, one worker per core). Default
   * true: a kata split over several files answers sooner. The grader turns it off, so a
   * submission's time and memory limits apply to one test file at a time.
   */
  parallel?: boolean;
}

/** How long a stopped run may take to report before it is killed, in milliseconds. */
export const STOP_GRACE_MS = 3000;

interface JUnitCase {
  "@_name": string;
  failure?: { "@_message"?: string } | string;
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
      return { name: c["@_name"], status: "fail" as const, message };
    });
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
  const junit = join(tmp, "junit.xml");
  const target = resolve(options.target ?? join(root, "katas"));
  const extra = options.extraTests ? join(resolve(options.extraTests), kata.slug) : undefined;
  const paths = [relative(root, kata.dir)];
  if (extra && await isDirectory(extra)) paths.push(extra);
  const args = ["test", ...(options.permissions ?? TEST_PERMISSIONS), `--junit-path=${junit}`];
  if (options.parallel ?? true) args.push("--parallel");
  if (target !== join(root, "katas") || paths.length > 1) {
    const extraTests = paths.length > 1 ? [options.extraTests!] : [];
    args.push(`--import-map=${await writeImportMap(target, [kata], { root, extraTests, dir: tmp })}`);
  }
  args.push(...(options.args ?? []), ...paths);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: options.env,
    stdin: "null",
    stdout: options.quiet ? "piped" : "inherit",
    stderr: options.quiet ? "piped" : "inherit",
    detached: options.signal !== undefined,
  }).spawn();
  options.onStart?.(child.pid);
  const stopper = options.signal ? stopOnAbort(child, options.signal) : undefined;
  const [status, stdout, stderr] = await Promise.all([
    child.status,
    options.quiet ? new Response(child.stdout).text() : "",
    options.quiet ? new Response(child.stderr).text() : "",
  ]);
  stopper?.dispose();
  let cases: CaseResult[] = [];
  try {
    cases = parseJUnit(await Deno.readTextFile(junit));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.remove(tmp, { recursive: true });
  return {
    cases,
    code: status.code,
    output: stdout + stderr,
    stdout,
    stderr,
    signal: status.signal,
    stopped: options.signal?.aborted ?? false,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
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
