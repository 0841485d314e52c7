/**
 * One sandboxed Deno run of a kata's tests (or their type-check) against some code: the import
 * map that points the tests at that code and guards what may be loaded (`import_guard.ts`),
 * the Deno permissions (`sandbox.ts`), what the operating system shows the process
 * (`isolation.ts`), the preload (`preload.ts`), and reading back Deno's TAP stream, its JUnit
 * report and the preload's record, all bounded. Every folder a run creates is removed before
 * it returns.
 *
 * @example Usage
 * ```ts ignore
 * import { runKataTestsSandboxed } from "./graded_run.ts";
 * const run = await runKataTestsSandboxed(place, { seconds: 120, memoryMiB: 4096 });
 * console.log(run.stdout); // TAP
 * ```
 * @module
 */
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Kata } from "../catalog/katas.ts";
import { importMapFor } from "../runner/import_map.ts";
import { kataTestFiles } from "../runner/run_tests.ts";
import { guardImportMap, type ImportGuard, type ImportMap, localTargets } from "./import_guard.ts";
import { CODE_CACHE, type Isolation, privateDenoDir, type SandboxPlan } from "./isolation.ts";
import { MAX_RECORD_BYTES } from "./output.ts";
import { runSandboxed, type SandboxedResult } from "./process.ts";
import { DEPENDENCY_FLAGS, READABLE_REPO_DIRS, sandboxEnv, sandboxFlags } from "./sandbox.ts";

/** The preload every graded test process runs first. */
export const PRELOAD: string = fileURLToPath(new URL("./preload.ts", import.meta.url));

/** The local modules the preload loads, itself included: the only grader files a graded process may load. */
export const PRELOAD_MODULES: readonly string[] = [
  "preload.ts",
  "harden.ts",
  "output.ts",
  "thrown.ts",
  "bounded.ts",
]
  .map((name) => fileURLToPath(new URL(`./${name}`, import.meta.url)));

/** The largest JUnit report read, in bytes. */
export const MAX_JUNIT_BYTES = 16 * 1024 * 1024;

/** Where a kata's tests run, and against what. */
export interface RunPlace {
  /** The repository root (holding `deno.json`, `katas/`, `lib/`). */
  root: string;
  /** The kata. */
  kata: Kata;
  /** The code under test, laid out like `katas/` (a staged submission, or `root/katas` for the stub). */
  code: string;
  /** Course staff's extra (hidden) tests, laid out like `katas/`. */
  extraTests?: string;
  /** Run only the hidden tests (type-checking always covers both). */
  hiddenOnly?: boolean;
  /** Run or check only these test files (absolute paths), instead of every file of the kata (and hidden ones). */
  only?: string[];
  /** The code is the course's own (the census): Deno's caches may be written, as by `deno task kata`. */
  trusted?: boolean;
  /** A temporary folder of this grading, for the run's own files. */
  work: string;
  /** Graded code's scratch folder (its `TMPDIR`). */
  scratch: string;
  /** The isolation in force. */
  isolation: Isolation;
  /** Extra `KATA_*` variables. */
  env?: Record<string, string>;
}

/** Limits of one run. */
export interface RunLimits {
  /** Wall-clock seconds. */
  seconds: number;
  /** Memory cap in MiB (the V8 heap gets half). */
  memoryMiB: number;
  /** Stops the run (the grader was interrupted). */
  signal?: AbortSignal;
  /** More `deno test` arguments (e.g. a filter and another reporter). */
  args?: string[];
}

/** A finished test run. */
export interface TestRun extends SandboxedResult {
  /** Deno's JUnit report, when it wrote one of at most {@linkcode MAX_JUNIT_BYTES}. */
  junit?: string;
  /** What the preload recorded (JSON lines, at most `MAX_RECORD_BYTES`). */
  record: string;
}

/** The hidden tests' folder for the kata, when there are hidden tests for it. */
async function hiddenDir(place: RunPlace): Promise<string | undefined> {
  if (!place.extraTests) return undefined;
  const dir = join(resolve(place.extraTests), place.kata.slug);
  const info = await Deno.stat(dir).catch(() => undefined);
  return info?.isDirectory ? dir : undefined;
}

/** What a run needs to see, before its import map is written. */
interface Plan {
  /** The import map sending the kata's modules to the code under test (not yet guarded). */
  map: ImportMap;
  /** What graded code may load. */
  guard: ImportGuard;
  /** What the process may read. */
  readOnly: string[];
  /** The kata's folder of the code under test. */
  code: string;
  /** The hidden tests' folder of the kata, if any. */
  hidden?: string;
  /** The test files to run or check. */
  testFiles: string[];
}

/** The import map, the folders and the test files of a run of `place`. */
async function planRun(place: RunPlace): Promise<Plan> {
  const { root, kata } = place;
  const hidden = await hiddenDir(place);
  const allTests = await kataTestFiles(kata, hidden ? place.extraTests : undefined);
  const map = await importMapFor(place.code, [kata], root, hidden ? [place.extraTests!] : []);
  const code = join(place.code, kata.slug);
  const targets = localTargets(map);
  const repoDirs = READABLE_REPO_DIRS.map((name) => join(root, name));
  const guard: ImportGuard = {
    dirs: [kata.dir, ...repoDirs, code, place.scratch, ...targets],
    files: [...PRELOAD_MODULES, ...(hidden ? allTests.filter((f) => f.startsWith(`${hidden}/`)) : [])],
    privateDirs: hidden ? [hidden] : [],
  };
  const readOnly = [
    kata.dir,
    ...repoDirs,
    join(root, "deno.json"),
    join(root, "deno.lock"),
    code,
    ...(hidden ? [hidden] : []),
    ...targets,
    ...PRELOAD_MODULES,
  ];
  return { map, guard, readOnly, code, hidden, testFiles: place.only ?? allTests };
}

/** Writes the guarded import map of one or more plans (merged) to `dir`; returns its path. */
async function writeImportMap(plans: Plan[], dir: string): Promise<string> {
  const map: ImportMap = { imports: Object.assign({}, ...plans.map((p) => p.map.imports)) };
  const guard: ImportGuard = {
    dirs: [...new Set(plans.flatMap((p) => p.guard.dirs))],
    files: [...new Set(plans.flatMap((p) => p.guard.files))],
    privateDirs: [...new Set(plans.flatMap((p) => p.guard.privateDirs))],
  };
  const mapFile = join(dir, "import_map.json");
  await Deno.writeTextFile(mapFile, JSON.stringify(guardImportMap(map, guard), null, 2));
  return mapFile;
}

/** What a run needs to see: the guarded import map (written to `dir`), the folders, the test files. */
async function prepare(place: RunPlace, dir: string) {
  const plan = await planRun(place);
  const mapFile = await writeImportMap([plan], dir);
  return { ...plan, mapFile, readOnly: [...plan.readOnly, mapFile] };
}

/** In bubblewrap mode, a private copy of Deno's V8 code cache in `dir` (see `CODE_CACHE`), if there is one. */
async function copyCodeCache(isolation: Isolation, dir: string): Promise<string | undefined> {
  if (isolation.mode !== "bubblewrap") return undefined;
  const copy = join(dir, CODE_CACHE);
  try {
    await Deno.copyFile(join(isolation.denoDir, CODE_CACHE), copy);
    return copy;
  } catch {
    return undefined; // no cache yet: V8 compiles, and the copy is not needed
  }
}

/** The file's text when it is a regular file of at most `limit` bytes. */
async function readLimited(path: string, limit: number): Promise<string | undefined> {
  const info = await Deno.lstat(path).catch(() => undefined);
  if (!info?.isFile || info.size > limit) return undefined;
  return await Deno.readTextFile(path);
}

/**
 * Runs the kata's tests (and the hidden ones) against `place.code` in one sandboxed
 * `deno test --reporter=tap` process, with the preload.
 *
 * @example Usage
 * ```ts ignore
 * import { runKataTestsSandboxed } from "./graded_run.ts";
 * const run = await runKataTestsSandboxed(place, { seconds: 60, memoryMiB: 2048 });
 * ```
 * @param place The kata, the code, the folders and the isolation.
 * @param limits Time, memory, an abort signal and more arguments.
 * @returns The run: exit status, bounded output, the JUnit report and the record.
 */
export async function runKataTestsSandboxed(place: RunPlace, limits: RunLimits): Promise<TestRun> {
  const dir = await Deno.makeTempDir({ dir: place.work, prefix: "run-" });
  try {
    const record = join(dir, "record");
    const report = join(dir, "report");
    await Deno.mkdir(record);
    await Deno.mkdir(report);
    const { mapFile, readOnly, code, hidden } = await prepare(place, dir);
    const recordFile = join(record, "output.jsonl");
    const junitFile = join(report, "junit.xml");
    const flags = sandboxFlags({
      root: place.root,
      kataDir: place.kata.dir,
      submission: code,
      scratch: place.scratch,
      record,
      heapMiB: limits.memoryMiB / 2,
    });
    const plan: SandboxPlan = {
      cwd: place.root,
      readOnly,
      readWrite: [record, report],
      scratch: place.scratch,
      denoDir: place.trusted ? "trusted" : "private",
      codeCache: place.trusted ? undefined : await copyCodeCache(place.isolation, dir),
      env: sandboxEnv({
        denoDir: place.trusted ? place.isolation.denoDir : await privateDenoDir(place.isolation, dir),
        scratch: place.scratch,
        // KATA_MEASURE=report: tests report what they measure (lib/testing/measure.ts), recorded per test.
        extra: { ...place.env, KATA_GRADE_OUTPUT: recordFile, KATA_MEASURE: "report" },
      }),
    };
    // The census's own location data is mounted over this folder; it must exist to be mounted on.
    if (place.trusted && place.isolation.mode === "bubblewrap") {
      await Deno.mkdir(join(place.isolation.denoDir, "location_data"), { recursive: true });
    }
    const run = await runSandboxed({
      isolation: place.isolation,
      plan,
      args: [
        "test",
        ...flags,
        `--import-map=${mapFile}`,
        "--no-check",
        "--reporter=tap",
        `--preload=${PRELOAD}`,
        `--junit-path=${junitFile}`,
        ...limits.args ?? [],
        ...(place.only
          ? place.only.map((file) => relative(place.root, file))
          : place.hiddenOnly && hidden
          ? [hidden]
          : [relative(place.root, place.kata.dir), ...(hidden ? [hidden] : [])]),
      ],
      seconds: limits.seconds,
      memoryMiB: limits.memoryMiB,
      signal: limits.signal,
    });
    return {
      ...run,
      junit: await readLimited(junitFile, MAX_JUNIT_BYTES),
      record: await readLimited(recordFile, MAX_RECORD_BYTES) ?? "",
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Type-checks the kata's tests (and the hidden ones) against `place.code` in the sandbox
 * (`deno check`, which runs no code; Deno's type-check cache is kept).
 *
 * @example Usage
 * ```ts ignore
 * import { checkKataSandboxed } from "./graded_run.ts";
 * const check = await checkKataSandboxed(place, { seconds: 120, memoryMiB: 4096 });
 * if (check.code !== 0) console.log(check.stderr);
 * ```
 * @param place The kata, the code, the folders and the isolation.
 * @param limits Time and an abort signal.
 * @returns The run (the errors are on standard error).
 */
export function checkKataSandboxed(place: RunPlace, limits: RunLimits): Promise<SandboxedResult> {
  return checkKatasSandboxed([place], limits);
}

/**
 * Type-checks the tests of several katas (and their hidden tests) against their staged code in one
 * sandboxed `deno check`: one TypeScript program instead of one per kata, so what the katas share (the
 * course's `lib/`, tfjs's types) is loaded and checked once. The grader uses it as a first pass over a
 * whole submission (see `grade_submission.ts`); a kata it cannot vouch for is checked on its own.
 *
 * @example Usage
 * ```ts ignore
 * import { checkKatasSandboxed } from "./graded_run.ts";
 * const check = await checkKatasSandboxed([placeOf01, placeOf02], { seconds: 120, memoryMiB: 0 });
 * if (check.code === 0) console.log("every kata type-checks");
 * ```
 * @param places One place per kata (same root, isolation and work folder).
 * @param limits Time and an abort signal.
 * @returns The run (the errors are on standard error).
 */
export async function checkKatasSandboxed(places: RunPlace[], limits: RunLimits): Promise<SandboxedResult> {
  const [first] = places;
  const dir = await Deno.makeTempDir({ dir: first.work, prefix: "check-" });
  try {
    const plans = await Promise.all(places.map(planRun));
    const mapFile = await writeImportMap(plans, dir);
    return await runSandboxed({
      isolation: first.isolation,
      plan: {
        cwd: first.root,
        readOnly: [...new Set([...plans.flatMap((p) => p.readOnly), mapFile])],
        readWrite: [],
        scratch: first.scratch,
        denoDir: "writable",
        env: sandboxEnv({ denoDir: first.isolation.denoDir, scratch: first.scratch, extra: first.env }),
      },
      args: ["check", ...DEPENDENCY_FLAGS, `--import-map=${mapFile}`, ...plans.flatMap((p) => p.testFiles)],
      seconds: limits.seconds,
      signal: limits.signal,
    });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
