/**
 * The census: the complete list of a kata's test cases, each with its test file and its step, taken from the
 * tests themselves without running them. Every tool that counts tests (`kata`, `watch`, `start`,
 * `solutions`, `verify`, `calibrate`, `grade`) counts from this list, so a test file that fails to
 * type-check or to load still counts its tests — as failed — instead of dropping out of the count.
 *
 * How: the test files are loaded with `KATA_LIST_TESTS=1`, which makes the `describe`/`it` of
 * `@std/testing/bdd` (this project's `lib/std_compat/bdd.ts`) register every test case as an ignored test
 * named by its full path, so nothing runs; Deno's TAP report then names each case and its file. The files
 * load against a reference implementation that is known to load (`solutions/` by default), never against
 * the code being tested. The list is cached in `out/cache/census/` by the content of the kata's tests,
 * support modules and manifest.
 *
 * @example Usage
 * ```ts ignore
 * import { kataCensus } from "./census.ts";
 * import { listKatas } from "./katas.ts";
 * const [kata] = await listKatas();
 * for (const c of await kataCensus(kata)) console.log(c.step, c.name);
 * ```
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { type Kata, ROOT } from "./katas.ts";
import { writeImportMap } from "../runner/import_map.ts";
import { parseTap } from "../grade/tap.ts";
import { isCrash } from "../runner/run_tests.ts";
import { isDirectory } from "@lib/core/fs.ts";

/** One test case of a kata. */
export interface TestCase {
  /** Full name, `suite > test` (the grading ID), e.g. `kata 06, step 1: … > maps the training labels …`. */
  name: string;
  /** Absolute path of its test file. */
  file: string;
  /** Its step, from the top-level `describe("kata NN, step N: …")`; `undefined` when the name has none. */
  step?: number;
}

/** Options for {@linkcode kataCensus}. */
export interface CensusOptions {
  /** The repository root (default: this repository). */
  root?: string;
  /**
   * A directory laid out like `katas/` whose modules are known to load (default: `solutions/` when it
   * exists, else the kata's own folder).
   */
  target?: string;
  /** A directory laid out like `katas/` with more tests (`<extraTests>/<slug>/*_test.ts`). */
  extraTests?: string;
  /** Permission flags for the listing process (default: read files and `KATA_*` settings). */
  permissions?: readonly string[];
  /** More environment variables for the listing process. */
  env?: Record<string, string>;
  /** Folder for the import map and the report (default: a new temporary folder, removed afterwards). */
  scratch?: string;
  /**
   * Where to cache the census (default `out/cache/census/` of the root); `false` takes it afresh every time.
   * The cache key covers the tests, support modules, manifest and the bdd module, and the hidden tests too.
   */
  cache?: string | false;
}

/** The census could not be taken: the reference implementation did not load. */
export class CensusError extends Error {
  /**
   * @param slug The kata.
   * @param detail What Deno said.
   */
  constructor(slug: string, detail: string) {
    super(`cannot list the tests of ${slug}: ${detail}`);
    this.name = "CensusError";
  }
}

/**
 * The step a test belongs to, from its top-level group name `kata NN, step N: …`.
 *
 * @example Usage
 * ```ts
 * import { stepOf } from "./census.ts";
 * console.log(stepOf("kata 06, step 4: the fix > keeps the scaler")); // 4
 * console.log(stepOf("something else")); // undefined
 * ```
 * @param name A full test name.
 * @returns The step number, or `undefined`.
 */
export function stepOf(name: string): number | undefined {
  const match = /^kata \d+, step (\d+): /.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * The prefix every test of step `step` of kata `id` carries: `kata 06, step 4: `.
 *
 * @example Usage
 * ```ts
 * import { stepPrefix } from "./census.ts";
 * console.log(stepPrefix("06", 4)); // "kata 06, step 4: "
 * ```
 * @param id The kata's two-digit number.
 * @param step The step.
 * @returns The prefix.
 */
export function stepPrefix(id: string, step: number): string {
  return `kata ${id}, step ${step}: `;
}

/**
 * The kata's test files: its manifest's `files.tests`, and, with `extraTests`, every `*_test.ts` in
 * `<extraTests>/<slug>/`. Absolute paths, sorted.
 *
 * @example Usage
 * ```ts ignore
 * import { kataTestFiles } from "./census.ts";
 * console.log(await kataTestFiles(kata)); // [".../katas/01-input-scaling/input_scaling_test.ts", ...]
 * ```
 * @param kata The kata.
 * @param extraTests A directory laid out like `katas/` with more tests.
 * @returns The test files.
 */
export async function kataTestFiles(kata: Kata, extraTests?: string): Promise<string[]> {
  const files = kata.tests.map((name) => join(kata.dir, name));
  if (extraTests) {
    const dir = join(resolve(extraTests), kata.slug);
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (entry.isFile && entry.name.endsWith("_test.ts")) files.push(join(dir, entry.name));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return files.sort();
}

/**
 * Lists every test case of `kata` (see the module doc), in file order and, within a file, in the order the
 * tests are declared.
 *
 * @example Usage
 * ```ts ignore
 * import { kataCensus } from "./census.ts";
 * const cases = await kataCensus(kata, { target: `${ROOT}/katas` });
 * ```
 * @param kata The kata.
 * @param options Root, reference implementation, extra tests, permissions, cache.
 * @returns The test cases.
 * @throws {CensusError} When the test files do not load against the reference implementation.
 */
export async function kataCensus(kata: Kata, options: CensusOptions = {}): Promise<TestCase[]> {
  const root = options.root ?? ROOT;
  const target = resolve(options.target ?? await defaultTarget(root));
  const files = await kataTestFiles(kata, options.extraTests);
  const cacheDir = options.cache ?? join(root, "out", "cache", "census");
  const useCache = cacheDir !== false;
  const key = useCache ? await censusKey(kata, files, root, target) : "";
  const cacheFile = useCache ? join(cacheDir, `${kata.slug}-${key.slice(0, 16)}.json`) : "";
  if (useCache) {
    const cached = await readCache(cacheFile, key);
    if (cached) return cached;
  }
  const scratch = options.scratch ?? await Deno.makeTempDir({ prefix: "ml-katas-census-" });
  try {
    const remap = target !== join(root, "katas") || options.extraTests !== undefined;
    const importMap = remap
      ? [
        `--import-map=${await writeImportMap(target, [kata], {
          root,
          extraTests: options.extraTests ? [options.extraTests] : [],
          dir: scratch,
        })}`,
      ]
      : [];
    const { stdout, stderr, success, code, signal } = await new Deno.Command(Deno.execPath(), {
      args: [
        "test",
        "--no-check",
        "--reporter=tap",
        ...(options.permissions ?? ["--allow-read", "--allow-env"]),
        ...importMap,
        ...files,
      ],
      cwd: root,
      env: { ...options.env, KATA_LIST_TESTS: "1", NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stdout);
    const report = parseTap(text);
    // A process that crashed while exiting after a complete report (Deno's teardown abort, RELIABILITY.md)
    // still listed every test.
    const crashedAtExit = report.finished && isCrash({ code, signal });
    if (!success && !crashedAtExit) {
      const said = (new TextDecoder().decode(stderr).trim() || text.trim()).split("\n").slice(0, 12).join(
        "\n",
      );
      throw new CensusError(kata.slug, said);
    }
    const cases = report.entries.map((entry) => {
      const file = resolve(root, entry.file);
      const step = stepOf(entry.name);
      return { name: entry.name, file, ...(step === undefined ? {} : { step }) };
    });
    if (useCache) await writeCache(cacheFile, key, cases);
    return cases;
  } finally {
    if (!options.scratch) await Deno.remove(scratch, { recursive: true });
  }
}

/** `solutions/` when the repository has it, else `katas/` itself. */
async function defaultTarget(root: string): Promise<string> {
  return await isDirectory(join(root, "solutions")) ? join(root, "solutions") : join(root, "katas");
}

/** A digest of what the test names can depend on: the tests, the support modules, the manifest, the bdd module. */
async function censusKey(kata: Kata, files: string[], root: string, target: string): Promise<string> {
  const inputs = [
    target,
    join(kata.dir, "kata.json"),
    ...files,
    ...kata.support.map((name) => join(kata.dir, name)),
    join(root, "lib", "std_compat", "bdd.ts"),
  ];
  const parts: string[] = [];
  for (const path of inputs) parts.push(path, await Deno.readTextFile(path).catch(() => ""));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readCache(file: string, key: string): Promise<TestCase[] | undefined> {
  try {
    const cached = JSON.parse(await Deno.readTextFile(file));
    return cached.key === key && Array.isArray(cached.cases) ? cached.cases : undefined;
  } catch {
    return undefined; // missing or unreadable: take the census again
  }
}

async function writeCache(file: string, key: string, cases: TestCase[]): Promise<void> {
  try {
    await Deno.mkdir(dirname(file), { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify({ key, cases }, null, 1) + "\n");
  } catch {
    // A read-only checkout: the census is simply taken again next time.
  }
}

/**
 * A test file's name as the learner reads it: its base name when it is the kata's own, else its path.
 *
 * @example Usage
 * ```ts
 * import { testFileLabel } from "./census.ts";
 * console.log(testFileLabel("/r/katas/06-x/a_test.ts", "/r/katas/06-x")); // "a_test.ts"
 * ```
 * @param file An absolute test file path.
 * @param kataDir The kata's folder.
 * @returns The label.
 */
export function testFileLabel(file: string, kataDir: string): string {
  return dirname(file) === kataDir ? basename(file) : file;
}
