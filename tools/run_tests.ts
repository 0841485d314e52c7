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
}

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
 * @param options Target, quietness, environment and extra arguments.
 * @returns The run's results.
 */
export async function runKataTests(kata: Kata, options: RunOptions = {}): Promise<KataRun> {
  const tmp = await Deno.makeTempDir({ prefix: "ml-katas-run-" });
  const junit = join(tmp, "junit.xml");
  const target = resolve(options.target ?? join(ROOT, "katas"));
  const args = ["test", ...TEST_PERMISSIONS, `--junit-path=${junit}`];
  if (target !== join(ROOT, "katas")) args.push(`--import-map=${await writeImportMap(target, [kata])}`);
  args.push(...(options.args ?? []), relative(ROOT, kata.dir));
  const command = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: options.env,
    stdout: options.quiet ? "piped" : "inherit",
    stderr: options.quiet ? "piped" : "inherit",
  });
  const result = await command.output();
  const decoder = new TextDecoder();
  const output = options.quiet ? decoder.decode(result.stdout) + decoder.decode(result.stderr) : "";
  const code = result.code;
  let cases: CaseResult[] = [];
  try {
    cases = parseJUnit(await Deno.readTextFile(junit));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.remove(tmp, { recursive: true });
  return { cases, code, output };
}
