/**
 * The permission sandbox a graded test process runs in: which files it may read and write,
 * which environment variables it may see, and the flags that keep Deno from fetching or
 * writing anything on the submission's behalf.
 *
 * @example Usage
 * ```ts
 * import { sandboxFlags } from "./sandbox.ts";
 * const flags = sandboxFlags({
 *   root: "/repo",
 *   kataDir: "/repo/katas/01-input-scaling",
 *   submission: "/tmp/grade/submission",
 *   scratch: "/tmp/grade/scratch",
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
  /** The only writable folder, also the process's `TMPDIR`. */
  scratch: string;
  /** The V8 heap limit in MiB. */
  heapMiB: number;
}

/**
 * The `deno test` / `deno check` flags for a sandboxed run: read access to the kata's folder,
 * `lib/`, `fixtures/`, `node_modules/`, the staged submission and the scratch folder; write
 * access to the scratch folder only; the `KATA_*` variables only; no network, subprocess, FFI
 * or system information (those are simply not granted, and `--no-prompt` makes every request
 * fail at once); a frozen lockfile and cached dependencies only, so nothing is downloaded or
 * written into the repository; and the V8 heap limit.
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
  return [
    `--allow-read=${readable.join(",")}`,
    `--allow-write=${paths.scratch}`,
    `--allow-env=${ALLOWED_ENV}`,
    "--no-prompt",
    ...DEPENDENCY_FLAGS,
    `--v8-flags=--max-old-space-size=${Math.max(16, Math.round(paths.heapMiB))}`,
  ];
}

/** Use the lockfile and the dependency cache as they are: never download, never write them. */
export const DEPENDENCY_FLAGS: readonly string[] = ["--frozen", "--cached-only", "--no-remote"];

/**
 * The variables a sandboxed process gets on top of the grader's own environment (Deno itself
 * needs `HOME`, `PATH`, `DENO_DIR` to find its cache; the permission flags keep graded code
 * from reading them): `TMPDIR` pointed at the scratch folder, colours off, and `extra`.
 *
 * @example Usage
 * ```ts
 * import { sandboxEnv } from "./sandbox.ts";
 * console.log(sandboxEnv("/tmp/scratch", { KATA_SEED: "3" })); // { TMPDIR: "/tmp/scratch", NO_COLOR: "1", KATA_SEED: "3" }
 * ```
 * @param scratch The writable folder.
 * @param extra More variables (e.g. `KATA_SEED`).
 * @returns The variables to set.
 */
export function sandboxEnv(scratch: string, extra: Record<string, string> = {}): Record<string, string> {
  return { TMPDIR: scratch, NO_COLOR: "1", ...extra };
}
