/**
 * Type-checks a kata's test files in one `deno check` (one module graph, tfjs's types once) and, when the
 * check fails, works out which test files the errors reach: those whose module graph holds a file an error
 * names. Only those files count as not compiling; the others still run, so a half-written step 6 does not
 * hide the results of step 1.
 *
 * @example Usage
 * ```ts ignore
 * import { checkTestFiles } from "./compile.ts";
 * const check = await checkTestFiles(["/repo/katas/06-x/a_test.ts"], [], "/repo");
 * if (!check.ok) console.log(check.affected, check.diagnostics);
 * ```
 * @module
 */
import { fileURLToPath as fromFileUrl } from "node:url";

/** What {@linkcode checkTestFiles} found. */
export interface CheckResult {
  /** True when every file type-checks. */
  ok: boolean;
  /** The checker's standard error, when it failed. */
  diagnostics: string;
  /** The test files the errors reach (all of them when no error names a file of theirs). */
  affected: string[];
}

/**
 * Flags for a `deno check` of the learner's loop. With `nodeModulesDir: "manual"` (deno.json: the
 * first run's quiet install, `tools/launch.ts`), Deno 2.9.6 type-checks again on every run, about 1–2 s
 * of CPU even when nothing changed; asking for `auto` on the command line, once `launch.ts` has
 * installed `node_modules`, lets its check cache answer in about 0.01 s and installs nothing.
 */
export const CHECK_FLAGS: readonly string[] = ["--node-modules-dir=auto"];

/**
 * Runs `deno check` over `files` with the given import map arguments.
 *
 * @example Usage
 * ```ts ignore
 * import { checkTestFiles } from "./compile.ts";
 * console.log((await checkTestFiles(files, ["--import-map=/tmp/map.json"], ROOT)).ok);
 * ```
 * @param files Absolute paths of the test files.
 * @param importMap The `--import-map=…` argument the tests run with, if any.
 * @param root The repository root (its `deno.json` applies).
 * @param signal Stops the check.
 * @returns Whether it passed, the diagnostics and the affected test files.
 */
export async function checkTestFiles(
  files: string[],
  importMap: string[],
  root: string,
  signal?: AbortSignal,
): Promise<CheckResult> {
  if (files.length === 0) return { ok: true, diagnostics: "", affected: [] };
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["check", ...CHECK_FLAGS, ...importMap, ...files],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    signal,
  }).output();
  if (success) return { ok: true, diagnostics: "", affected: [] };
  const diagnostics = new TextDecoder().decode(stderr);
  const named = erroneousFiles(diagnostics);
  const affected: string[] = [];
  for (const file of files) {
    // A graph that cannot even be built (a syntax error in a module it imports) is affected too.
    const graph = await localModules(file, importMap, root);
    if (named.size === 0 || !graph || graph.some((module) => named.has(module))) affected.push(file);
  }
  return { ok: false, diagnostics, affected: affected.length ? affected : files };
}

/**
 * The local files `deno check`'s errors point at (`at file:///…:line:col`).
 *
 * @example Usage
 * ```ts
 * import { erroneousFiles } from "./compile.ts";
 * const text = "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n    at file:///r/katas/06-x/m.ts:3:7\n";
 * console.log([...erroneousFiles(text)]); // ["/r/katas/06-x/m.ts"]
 * ```
 * @param diagnostics The checker's output.
 * @returns The files, as absolute paths.
 */
export function erroneousFiles(diagnostics: string): Set<string> {
  const files = new Set<string>();
  for (const match of diagnostics.matchAll(/\bat (file:\/\/\S+?):\d+:\d+/g)) files.add(fromFileUrl(match[1]));
  return files;
}

/**
 * The local modules in `file`'s graph, as absolute paths (`deno info --json`: no type-check, fast), or
 * `undefined` when the graph cannot be built.
 */
async function localModules(file: string, importMap: string[], root: string): Promise<string[] | undefined> {
  const { success, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", ...importMap, file],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!success) return undefined;
  try {
    const info = JSON.parse(new TextDecoder().decode(stdout)) as { modules?: { specifier: string }[] };
    return (info.modules ?? [])
      .map((m) => m.specifier)
      .filter((s) => s.startsWith("file://"))
      .map((s) => fromFileUrl(s));
  } catch {
    return undefined;
  }
}
