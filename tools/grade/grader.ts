/**
 * `deno task grade [NAME…] [--submission DIR] [--kata NAME…] [--json FILE] [--junit FILE]
 * [--gradescope FILE] [--timeout S] [--memory MIB] [--extra-tests DIR] [--show-hidden] [--fail-under POINTS]`:
 * grades a submission (default: the learner's `katas/`) kata by kata, each in its own
 * sandboxed Deno process (see `tools/grade/`), and writes `results.json` (Exercism
 * test-runner interface v3 with points), a JUnit file, optionally Gradescope's `results.json`,
 * and a table on stdout.
 *
 * A class: `--roster PATH [--out DIR] [--jobs N] [--shard I/N] [--clones DIR]` grades every submission of
 * a roster, resumably, and writes a gradebook; `--clone --roster PATH` clones a roster's repositories first;
 * `--merge --out DIR SHARD…` joins shard outputs (`roster_run.ts`).
 *
 * Exit status: 0 when grading ran, whatever the score; 1 when the score is below
 * `--fail-under` (or, with `--clone`, a repository could not be cloned); 2 for a usage error (unknown
 * option or kata, missing folder, a roster or shards that cannot be used); 3 when the grader itself
 * failed; 130 when interrupted.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, join, resolve } from "node:path";
import { ROOT, selectKatas, UnknownKataError } from "../catalog/katas.ts";
import { DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT_S, type GradeContext, type KataGrade } from "./grade_kata.ts";
import { gradeSubmission } from "./grade_submission.ts";
import { detectIsolation, type IsolationRequest, IsolationUnavailableError } from "./isolation.ts";
import { toJUnit } from "./junit.ts";
import { toResults } from "./results.ts";
import { toGradescope } from "./gradescope.ts";
import { SubmissionError, submissionRoot } from "./submission.ts";
import { parseShard, readRoster, RosterError, shardOf } from "./roster.ts";
import { cloneRoster, gradeRoster, mergeShards } from "./roster_run.ts";
import { gradeTable } from "./table.ts";

/** The roster's output folder unless `--out` names another. */
const ROSTER_OUT = "out/roster";

const USAGE = `usage: deno task grade [NAME…] [options]

  --submission DIR   folder laid out like katas/ (or a learner's repository); default: katas/
  --kata NAME        a kata to grade (repeatable; also as plain arguments); default: all
  --out DIR          where results.json and junit.xml go (default out/grade)
  --json FILE        results.json to write (default OUT/results.json)
  --junit FILE       JUnit XML to write (default OUT/junit.xml)
  --gradescope FILE  also write Gradescope's results.json (what the autograder bundle runs)
  --timeout S        wall-clock limit per kata in seconds (default: kata.json "timeout", else ${DEFAULT_TIMEOUT_S})
  --memory MIB       memory cap per kata process (default ${DEFAULT_MEMORY_MIB}; the JavaScript heap gets half)
  --extra-tests DIR  more tests, laid out like katas/ (hidden tests: name and status only)
  --show-hidden      report messages and output of the extra tests too
  --fail-under N     exit 1 when the score is below N points
  --isolation MODE   auto (default: bubblewrap where it works), bubblewrap (required) or permissions
  --root DIR         the course repository (default: this one)

A class (README, "For course staff"):
  --roster PATH      grade every submission of a roster: a folder of learner folders, or a .csv/.json
                     list of ids with a path or a git repo; writes OUT/learners/<id>/results.json and
                     junit.xml, OUT/gradebook.csv, OUT/gradebook-canvas.csv, OUT/summary.md; resumes
  --out DIR          the roster's output folder (default out/roster)
  --jobs N           submissions graded at once (default: the number of cores, ${defaultJobs()})
  --shard I/N        grade only the I-th of N deterministic shares of the roster
  --clones DIR       where the roster's git repositories are cloned (default out/clones)
  --clone            clone the roster's git repositories into --clones (a step before grading)
  --merge            join shard output folders (the arguments) into --out, with one gradebook`;

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
 * import { runGrader } from "./grader.ts";
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
    if (
      error instanceof UsageError || error instanceof UnknownKataError || error instanceof SubmissionError ||
      error instanceof IsolationUnavailableError || error instanceof RosterError
    ) {
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
        json: { type: "string" },
        junit: { type: "string" },
        gradescope: { type: "string" },
        timeout: { type: "string" },
        memory: { type: "string" },
        "extra-tests": { type: "string" },
        "show-hidden": { type: "boolean", default: false },
        "fail-under": { type: "string" },
        isolation: { type: "string", default: "auto" },
        root: { type: "string" },
        roster: { type: "string" },
        out: { type: "string" },
        jobs: { type: "string" },
        shard: { type: "string" },
        clones: { type: "string", default: "out/clones" },
        clone: { type: "boolean", default: false },
        merge: { type: "boolean", default: false },
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

function isolationRequest(value: string): IsolationRequest {
  if (!["auto", "bubblewrap", "permissions"].includes(value)) {
    throw new UsageError(`--isolation needs auto, bubblewrap or permissions, got "${value}"`);
  }
  return value as IsolationRequest;
}

async function directory(name: string, path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  const full = resolve(path);
  const info = await Deno.stat(full).catch(() => undefined);
  if (!info?.isDirectory) throw new UsageError(`--${name}: "${path}" is not a folder`);
  return full;
}

async function grade(args: string[], io: GraderIO): Promise<number> {
  const started = performance.now();
  const { values, positionals } = parse(args);
  if (values.help) {
    io.log(USAGE);
    return 0;
  }
  if (values.merge) return await mergeShards(positionals, values.out ?? ROSTER_OUT, io);
  const root = (await directory("root", values.root)) ?? ROOT;
  if (values.roster !== undefined) return await gradeClass(values, positionals, root, io);
  const submission = (await directory("submission", values.submission)) ?? join(root, "katas");
  const failUnder = values["fail-under"] === undefined ? undefined : Number(values["fail-under"]);
  if (failUnder !== undefined && !Number.isFinite(failUnder)) {
    throw new UsageError(`--fail-under needs a number, got "${values["fail-under"]}"`);
  }
  const request = isolationRequest(values.isolation);
  const katas = await selectKatas([...values.kata, ...positionals], root);
  const ctx: GradeContext = {
    root,
    submission: await submissionRoot(submission, katas),
    extraTests: await directory("extra-tests", values["extra-tests"]),
    timeoutSeconds: positive("timeout", values.timeout),
    memoryMiB: positive("memory", values.memory),
    signal: io.signal,
    isolation: await detectIsolation(request),
  };
  await installDependencies(root, io);
  const { grades, interrupted } = await gradeSubmission(katas, ctx, {
    showHidden: values["show-hidden"],
    onKata: (kata) => io.error(`grading ${kata.slug} …`),
  });
  // Written on every path: a kata never graded (the grader was interrupted) is an error.
  const out = values.out ?? "out/grade";
  const files = {
    json: values.json ?? join(out, "results.json"),
    junit: values.junit ?? join(out, "junit.xml"),
    gradescope: values.gradescope,
  };
  await report(grades, ctx, files, (performance.now() - started) / 1000, io);
  if (interrupted) throw io.signal?.reason ?? new Error("grading was interrupted");
  const score = toResults(grades).score;
  if (failUnder !== undefined && score < failUnder) {
    io.error(`score ${score} is below --fail-under ${failUnder}`);
    return 1;
  }
  return 0;
}

/** The default of `--jobs`: one submission per core. */
function defaultJobs(): number {
  return Math.max(1, navigator.hardwareConcurrency ?? 1);
}

/** `--roster` (and `--clone`): grades or clones a class. */
async function gradeClass(
  values: ReturnType<typeof parse>["values"],
  positionals: string[],
  root: string,
  io: GraderIO,
): Promise<number> {
  const jobs = values.jobs === undefined ? defaultJobs() : positive("jobs", values.jobs)!;
  if (!Number.isInteger(jobs)) throw new UsageError(`--jobs needs a whole number, got "${values.jobs}"`);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.clone) {
    const learners = await readRoster(values.roster!);
    return await cloneRoster(shard ? shardOf(learners, shard) : learners, values.clones, jobs, io, io.signal);
  }
  const request = isolationRequest(values.isolation);
  if (values["fail-under"] !== undefined) {
    throw new UsageError("--fail-under grades one submission, not a roster");
  }
  const katas = await selectKatas([...values.kata, ...positionals], root);
  const code = await gradeRoster({
    rosterPath: values.roster!,
    clones: values.clones,
    out: values.out ?? ROSTER_OUT,
    jobs,
    shard,
    katas,
    showHidden: values["show-hidden"],
    ctx: {
      root,
      extraTests: await directory("extra-tests", values["extra-tests"]),
      timeoutSeconds: positive("timeout", values.timeout),
      memoryMiB: positive("memory", values.memory),
      signal: io.signal,
      isolation: await detectIsolation(request),
    },
    io,
    prepare: () => installDependencies(root, io),
  });
  if (code === 130) throw io.signal?.reason ?? new Error("grading was interrupted");
  return code;
}

/** Where the reports go. */
interface ReportFiles {
  /** `results.json` (Exercism v3 with points). */
  json: string;
  /** The JUnit file. */
  junit: string;
  /** Gradescope's `results.json`, when asked for. */
  gradescope?: string;
}

async function report(
  grades: KataGrade[],
  ctx: GradeContext,
  files: ReportFiles,
  seconds: number,
  io: GraderIO,
) {
  const results = toResults(grades, ctx.isolation);
  await write(files.json, `${JSON.stringify(results, null, 2)}\n`);
  await write(files.junit, toJUnit(grades, ctx.isolation));
  if (files.gradescope) {
    await write(files.gradescope, `${JSON.stringify(toGradescope(results, seconds), null, 2)}\n`);
  }
  io.log(gradeTable(grades, ctx.isolation));
  io.log(
    `\nresults: ${files.json}\njunit: ${files.junit}${
      files.gradescope ? `\ngradescope: ${files.gradescope}` : ""
    }`,
  );
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

/**
 * `deno task grade`'s body: grades as {@linkcode runGrader} does, stopping cleanly on SIGINT or SIGTERM.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./grader.ts";
 * Deno.exit(await main(["--submission", "../alice/katas"]));
 * ```
 * @param args The command line.
 * @returns The exit code.
 */
export async function main(args: string[] = Deno.args): Promise<number> {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => controller.abort(new Error(`received ${signal}`)));
  }
  return (await runGrader(args, { log: console.log, error: console.error, signal: controller.signal }));
}
