/**
 * `deno task grade [NAME…] [--submission DIR] [--kata NAME…] [--json FILE] [--junit FILE]
 * [--timeout S] [--memory MIB] [--extra-tests DIR] [--show-hidden] [--fail-under POINTS]`:
 * grades a submission (default: the learner's `katas/`) kata by kata, each in its own
 * sandboxed Deno process (see `tools/grade/`), and writes `results.json` (Exercism
 * test-runner interface v3 with points), a JUnit file and a table on stdout.
 *
 * Exit status: 0 when grading ran, whatever the score; 1 when the score is below
 * `--fail-under`; 2 for a usage error (unknown option or kata, missing folder); 3 when the
 * grader itself failed; 130 when interrupted.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, join, resolve } from "node:path";
import { ROOT, selectKatas, UnknownKataError } from "./katas.ts";
import {
  DEFAULT_MEMORY_MIB,
  DEFAULT_TIMEOUT_S,
  type GradeContext,
  gradeKata,
  type KataGrade,
} from "./grade/grade_kata.ts";
import { toJUnit } from "./grade/junit.ts";
import { toResults } from "./grade/results.ts";
import { submissionRoot } from "./grade/submission.ts";
import { gradeTable } from "./grade/table.ts";

const USAGE = `usage: deno task grade [NAME…] [options]

  --submission DIR   folder laid out like katas/ (or a learner's repository); default: katas/
  --kata NAME        a kata to grade (repeatable; also as plain arguments); default: all
  --json FILE        results.json to write (default out/grade/results.json)
  --junit FILE       JUnit XML to write (default out/grade/junit.xml)
  --timeout S        wall-clock limit per kata in seconds (default: kata.json "timeout", else ${DEFAULT_TIMEOUT_S})
  --memory MIB       memory cap per kata process (default ${DEFAULT_MEMORY_MIB}; the JavaScript heap gets half)
  --extra-tests DIR  more tests, laid out like katas/ (hidden tests: name and status only)
  --show-hidden      report messages and output of the extra tests too
  --fail-under N     exit 1 when the score is below N points
  --root DIR         the course repository (default: this one)`;

/** Where {@linkcode runGrader} prints. */
export interface GraderIO {
  /** The table and file paths. */
  log: (line: string) => void;
  /** Progress and errors. */
  error: (line: string) => void;
  /** Aborts grading. */
  signal?: AbortSignal;
}

class UsageError extends Error {}

/**
 * Runs the grader with command-line arguments.
 *
 * @example Usage
 * ```ts ignore
 * import { runGrader } from "./grade.ts";
 * const code = await runGrader(["--submission", "/tmp/learner", "--kata", "01", "--json", "/tmp/r.json"]);
 * ```
 * @param args The arguments.
 * @param io Where to print, and an abort signal.
 * @returns The exit status.
 */
export async function runGrader(
  args: string[],
  io: GraderIO = { log: console.log, error: console.error },
): Promise<number> {
  try {
    return await grade(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownKataError) {
      io.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (io.signal?.aborted) {
      io.error("grading interrupted");
      return 130;
    }
    io.error(`the grader failed: ${error instanceof Error ? error.stack : error}`);
    return 3;
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        submission: { type: "string" },
        kata: { type: "string", multiple: true, default: [] },
        json: { type: "string", default: "out/grade/results.json" },
        junit: { type: "string", default: "out/grade/junit.xml" },
        timeout: { type: "string" },
        memory: { type: "string" },
        "extra-tests": { type: "string" },
        "show-hidden": { type: "boolean", default: false },
        "fail-under": { type: "string" },
        root: { type: "string" },
        help: { type: "boolean", default: false },
      },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new UsageError(`--${name} needs a positive number, got "${value}"`);
  }
  return number;
}

async function directory(name: string, path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  const full = resolve(path);
  const info = await Deno.stat(full).catch(() => undefined);
  if (!info?.isDirectory) throw new UsageError(`--${name}: "${path}" is not a folder`);
  return full;
}

async function grade(args: string[], io: GraderIO): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.log(USAGE);
    return 0;
  }
  const root = (await directory("root", values.root)) ?? ROOT;
  const submission = (await directory("submission", values.submission)) ?? join(root, "katas");
  const failUnder = values["fail-under"] === undefined ? undefined : Number(values["fail-under"]);
  if (failUnder !== undefined && !Number.isFinite(failUnder)) {
    throw new UsageError(`--fail-under needs a number, got "${values["fail-under"]}"`);
  }
  const katas = await selectKatas([...values.kata, ...positionals], root);
  const ctx: GradeContext = {
    root,
    submission: await submissionRoot(submission, katas),
    extraTests: await directory("extra-tests", values["extra-tests"]),
    timeoutSeconds: positive("timeout", values.timeout),
    memoryMiB: positive("memory", values.memory),
    signal: io.signal,
  };
  await installDependencies(root, io);
  const grades: KataGrade[] = [];
  for (const kata of katas) {
    io.error(`grading ${kata.slug} …`);
    grades.push(await gradeKata(kata, ctx, values["show-hidden"]));
  }
  const results = toResults(grades);
  await write(values.json, `${JSON.stringify(results, null, 2)}\n`);
  await write(values.junit, toJUnit(grades));
  io.log(gradeTable(grades));
  io.log(`\nresults: ${values.json}\njunit: ${values.junit}`);
  if (failUnder !== undefined && results.score < failUnder) {
    io.error(`score ${results.score} is below --fail-under ${failUnder}`);
    return 1;
  }
  return 0;
}

async function write(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(resolve(path)), { recursive: true });
  await Deno.writeTextFile(path, text);
}

/**
 * The sandboxed tests may not download anything (`--cached-only`), so the locked dependencies
 * are installed first, outside the sandbox, when the repository has a lockfile.
 */
async function installDependencies(root: string, io: GraderIO): Promise<void> {
  const lock = await Deno.stat(join(root, "deno.lock")).catch(() => undefined);
  if (!lock) return;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["install", "--frozen", "--quiet"],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    io.error(
      `warning: \`deno install --frozen\` failed; katas may report missing dependencies:\n${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
}

if (import.meta.main) {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => controller.abort(new Error(`received ${signal}`)));
  }
  Deno.exit(
    await runGrader(Deno.args, { log: console.log, error: console.error, signal: controller.signal }),
  );
}
