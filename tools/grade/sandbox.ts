/**
 * The Deno permission layer of a graded process: which files it may read and write, which
 * environment variables it sees, and the flags that keep Deno from fetching or writing
 * anything on the submission's behalf. It holds in both isolation modes (see `isolation.ts`);
 * with bubblewrap, the operating system hides everything else as well.
 *
 * @example Usage
 * ```ts
 * import { sandboxFlags } from "./sandbox.ts";
 * const flags = sandboxFlags({
 *   root: "/repo",
 *   kataDir: "/repo/katas/01-input-scaling",
 *   submission: "/tmp/grade/submission",
 *   scratch: "/tmp/grade/scratch",
 *   record: "/tmp/grade/record",
 *   heapMiB: 2048,
 * });
 * console.log(flags.includes("--allow-env=KATA_*")); // true
 * ```
 * @module
 */
import { join } from "node:path";

/** The environment variables graded code may read: the kata settings, nothing else. */
export const ALLOWED_ENV = "KATA_*";

/** Folders of the repository graded code may read, besides its kata's folder. */
export const READABLE_REPO_DIRS: readonly string[] = ["lib", "fixtures", "node_modules"];

/** Where a sandboxed run may read and write. */
export interface SandboxPaths {
  /** The repository root. */
  root: string;
  /** The kata's folder (its tests and `kata.json`). */
  kataDir: string;
  /** The staged copy of the submission (read only). */
  submission: string;
  /** The only folder graded code may write to, also the process's `TMPDIR`. */
  scratch: string;
  /**
   * The folder of the preload's record file: writable when the process starts, revoked by the
   * preload once it has opened the file, before any graded module loads.
   */
  record?: string;
  /** The V8 heap limit in MiB. */
  heapMiB: number;
}

/**
 * The `deno test` flags for a sandboxed run: read access to the kata's folder, `lib/`,
 * `fixtures/`, `node_modules/`, the staged submission and the scratch folder; write access to
 * the scratch folder (and the record folder, until the preload revokes it); the `KATA_*`
 * variables only; no network, subprocess, FFI or system information (those are simply not
 * granted, and `--no-prompt` makes every request fail at once); a frozen lockfile and cached
 * dependencies only, so nothing is downloaded or written into the repository; and the V8 heap
 * limit.
 *
 * @example Usage
 * ```ts
 * import { sandboxFlags } from "./sandbox.ts";
 * const paths = { root: "/r", kataDir: "/r/katas/01-x", submission: "/s", scratch: "/t", heapMiB: 512 };
 * console.log(sandboxFlags(paths).at(-1)); // "--v8-flags=--max-old-space-size=512"
 * ```
 * @param paths The folders and the heap limit.
 * @returns The flags.
 */
export function sandboxFlags(paths: SandboxPaths): string[] {
  const readable = [
    paths.kataDir,
    ...READABLE_REPO_DIRS.map((dir) => join(paths.root, dir)),
    paths.submission,
    paths.scratch,
  ];
  const writable = [paths.scratch, ...(paths.record ? [paths.record] : [])];
  return [
    `--allow-read=${readable.join(",")}`,
    `--allow-write=${writable.join(",")}`,
    `--allow-env=${ALLOWED_ENV}`,
    "--no-prompt",
    ...DEPENDENCY_FLAGS,
    `--v8-flags=--max-old-space-size=${Math.max(16, Math.round(paths.heapMiB))}`,
  ];
}

/** Use the lockfile and the dependency cache as they are: never download, never write them. */
export const DEPENDENCY_FLAGS: readonly string[] = ["--frozen", "--cached-only", "--no-remote"];

/** Variables a platform needs to start any process at all, passed through when set. */
const PLATFORM_ENV = ["SYSTEMROOT", "WINDIR"];

/**
 * The whole environment of a sandboxed process (it inherits nothing from the grader, whose
 * environment may hold tokens): Deno's cache folder, `TMPDIR` and `HOME` pointed at the scratch
 * folder, colours and update checks off, the grader's own `KATA_*` settings, and `extra`.
 *
 * @example Usage
 * ```ts
 * import { sandboxEnv } from "./sandbox.ts";
 * const env = sandboxEnv({ denoDir: "/cache/deno", scratch: "/tmp/s", extra: { KATA_SEED: "3" }, inherited: {} });
 * console.log(env.TMPDIR, env.KATA_SEED, env.PATH); // "/tmp/s" "3" undefined
 * ```
 * @param options Deno's cache, the scratch folder, more variables, and the environment to take
 *   `KATA_*` from (default: the grader's).
 * @returns The variables.
 */
export function sandboxEnv(options: {
  denoDir: string;
  scratch: string;
  extra?: Record<string, string>;
  inherited?: Record<string, string>;
}): Record<string, string> {
  const inherited = options.inherited ?? Deno.env.toObject();
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (name.startsWith("KATA_") || PLATFORM_ENV.includes(name.toUpperCase())) env[name] = value;
  }
  return {
    ...env,
    DENO_DIR: options.denoDir,
    TMPDIR: options.scratch,
    HOME: options.scratch,
    NO_COLOR: "1",
    DENO_NO_UPDATE_CHECK: "1",
    ...options.extra,
  };
}
