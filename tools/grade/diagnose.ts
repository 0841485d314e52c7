/**
 * Turns what Deno printed into short reasons a learner can act on: error messages without
 * code frames and runtime stack frames, paths relative to the submission or the repository,
 * and plain words for a denied permission, a type-check failure or a module that did not load.
 *
 * @example Usage
 * ```ts
 * import { explainDenied } from "./diagnose.ts";
 * console.log(explainDenied('NotCapable: Requires net access to "example.com:80", run again with the --allow-net flag'));
 * // permission denied: net access to "example.com:80" (graded code has no network access)
 * ```
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { clip } from "./bounded.ts";
import { BLOCKED_PREFIX } from "./import_guard.ts";

/** The most characters of Deno's text a message is made from (reports keep fewer). */
const RAW_LIMIT = 64_000;

/** Where paths in messages come from, so they can be shown relative. */
export interface MessagePaths {
  /** The repository root: shown relative (`katas/01-x/x_test.ts`). */
  root: string;
  /** The staged submission (laid out like `katas/`): shown as `<submission>/01-x/x.ts`. */
  submission: string;
  /** How to show the submission's folder instead (the learner runner shows `katas`). */
  submissionName?: string;
  /** The scratch folder: shown as `$TMPDIR`. */
  scratch?: string;
  /** The extra (hidden) tests folder: shown as `<extra-tests>/...`. */
  extraTests?: string;
}

const REASONS: Record<string, string> = {
  read:
    "graded code may read only its kata's folder, lib/, fixtures/, node_modules/ and its temporary folder",
  write: "graded code may write only to its temporary folder ($TMPDIR)",
  env: "graded code may read only the KATA_* environment variables",
  net: "graded code has no network access",
  run: "graded code may not start processes",
  ffi: "graded code may not load native libraries",
  sys: "graded code may not read system information",
  import: "graded code may not import remote modules",
};

const DENIED =
  /(?:NotCapable|PermissionDenied): Requires (\w+) access( to [^,]+)?, run again with the --allow-\w+ flag/;

/**
 * True when a message reports a permission the sandbox denied.
 *
 * @example Usage
 * ```ts
 * import { isDenied } from "./diagnose.ts";
 * console.log(isDenied('NotCapable: Requires env access to "HOME", run again with the --allow-env flag')); // true
 * ```
 * @param message An error message.
 * @returns Whether it is a denial.
 */
export function isDenied(message: string): boolean {
  return DENIED.test(message) || (message.includes(BLOCKED_PATH) && BLOCKED_READ.test(message));
}

/** The folder blocked imports are sent to, as a path. */
const BLOCKED_PATH = new URL(BLOCKED_PREFIX).pathname;

/** Deno's words when an import the guard blocked was loaded (`import()` of a blocked path). */
const BLOCKED_READ =
  /(?:Uncaught )?(?:\(in promise\) )?(?:[A-Za-z]{1,40}: )?Requires read access to "\/graded-code-may-not-import(\/[^"]*)", run again with the --allow-read flag/;

/**
 * Rewrites Deno's "run again with --allow-…" advice, which a learner cannot follow in a
 * grader, into what the sandbox allows.
 *
 * @example Usage
 * ```ts
 * import { explainDenied } from "./diagnose.ts";
 * console.log(explainDenied('Uncaught NotCapable: Requires read access to "/etc/passwd", run again with the --allow-read flag'));
 * // permission denied: read access to "/etc/passwd" (graded code may read only ...)
 * ```
 * @param message An error message.
 * @returns The message with each denial explained.
 */
export function explainDenied(message: string): string {
  const imports = message.includes(BLOCKED_PATH)
    ? message.replace(
      new RegExp(BLOCKED_READ.source, "g"),
      (_m, path: string) => `permission denied: import of "${path}" (${IMPORT_REASON})`,
    )
    : message;
  return explainBlockedImports(imports.replace(
    new RegExp(`(?:Uncaught )?(?:\\(in promise\\) )?${DENIED.source}`, "g"),
    (_m, kind: string, what = "") =>
      `permission denied: ${kind} access${what} (${REASONS[kind] ?? "the sandbox does not allow it"})`,
  ));
}

const IMPORT_REASON =
  "graded code may import modules only from its kata's folder, lib/, fixtures/, node_modules/ and its own files";

/**
 * Rewrites the URLs the import guard (`import_guard.ts`) sends blocked imports to back into
 * the path that was imported, saying it was blocked.
 *
 * @example Usage
 * ```ts
 * import { explainBlockedImports } from "./diagnose.ts";
 * console.log(explainBlockedImports("Cannot find module 'file:///graded-code-may-not-import/etc/passwd'."));
 * // Cannot find module '/etc/passwd' (graded code may not import it).
 * ```
 * @param text Any text.
 * @returns The text with blocked imports named.
 */
export function explainBlockedImports(text: string): string {
  const folder = new URL(BLOCKED_PREFIX).pathname; // "/graded-code-may-not-import/"
  const prefix = `(?:file://)?${folder}`.replace(/[/.]/g, "\\$&");
  return text.replace(
    new RegExp(`(['"])${prefix}([^'"]*)\\1`, "g"),
    (_m, quote: string, path: string) => `${quote}/${path}${quote} (graded code may not import it)`,
  );
}

/**
 * Replaces absolute paths and `file://` URLs with the short forms of {@linkcode MessagePaths}.
 *
 * @example Usage
 * ```ts
 * import { relativePaths } from "./diagnose.ts";
 * const paths = { root: "/repo", submission: "/tmp/g/submission" };
 * console.log(relativePaths("at file:///tmp/g/submission/01-x/x.ts:3:9", paths)); // "at <submission>/01-x/x.ts:3:9"
 * ```
 * @param text Any text.
 * @param paths The folders.
 * @returns The text with short paths.
 */
export function relativePaths(text: string, paths: MessagePaths): string {
  const pairs: [string, string][] = [
    [paths.submission, paths.submissionName ?? "<submission>"],
    ...(paths.extraTests ? [[paths.extraTests, "<extra-tests>"] as [string, string]] : []),
    ...(paths.scratch ? [[paths.scratch, "$TMPDIR"] as [string, string]] : []),
    [paths.root, "."],
  ];
  let out = text;
  for (const [dir, short] of pairs) {
    const url = pathToFileURL(dir).href;
    out = out.split(`${url}/`).join(`${short}/`).split(`${dir}/`).join(`${short}/`);
  }
  return out.replace(/(^|[\s(])\.\/(?=\S)/g, "$1");
}

/**
 * The readable part of a failed test's error: its message, without the code frame and with
 * at most `frames` stack frames, those in the learner's or the tests' code.
 *
 * @example Usage
 * ```ts
 * import { cleanMessage } from "./diagnose.ts";
 * const raw = "Error: boom\n  throw new Error('boom');\n        ^\n    at f (file:///s/01-x/x.ts:2:9)\n    at ext:cli/40_test.js:1:1";
 * console.log(cleanMessage(raw, { root: "/r", submission: "/s" })); // "Error: boom\n    at f (<submission>/01-x/x.ts:2:9)"
 * ```
 * @param raw Deno's error text.
 * @param paths The folders, to shorten paths and pick frames.
 * @param frames How many stack frames to keep.
 * @returns The message.
 */
export function cleanMessage(raw: string, paths: MessagePaths, frames = 2): string {
  const lines = stripAnsi(clip(raw, RAW_LIMIT)).replace(/^Uncaught (\(in promise\) )?/, "").split("\n");
  const kept: string[] = [];
  const stack: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*[\^~]+\s*$/.test(lines[i + 1] ?? "")) {
      i++; // a code frame: the source line and its caret line
      continue;
    }
    if (/^\s+at /.test(line)) {
      const inUserCode = line.includes(pathToFileURL(paths.submission).href) ||
        (line.includes(`${pathToFileURL(paths.root).href}/katas/`)) ||
        (paths.extraTests !== undefined && line.includes(pathToFileURL(paths.extraTests).href));
      if (inUserCode && stack.length < frames) stack.push(line);
      continue;
    }
    kept.push(line);
  }
  while (kept.length && kept.at(-1)!.trim() === "") kept.pop();
  return relativePaths(explainDenied([...kept, ...stack].join("\n")), paths);
}

/**
 * What `deno check` said about a submission that does not type-check or parse: the errors,
 * without Deno's advice to skip type-checking.
 *
 * @example Usage
 * ```ts
 * import { checkFailure } from "./diagnose.ts";
 * const stderr = "Check x_test.ts\nTS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n" +
 *   "    at file:///s/01-x/x.ts:1:31\n\nerror: Type checking failed.\n";
 * console.log(checkFailure(stderr, { root: "/r", submission: "/s" }));
 * ```
 * @param stderr The checker's standard error.
 * @param paths The folders.
 * @returns The errors.
 */
export function checkFailure(stderr: string, paths: MessagePaths): string {
  const text = stripAnsi(clip(stderr, RAW_LIMIT)).split("\nStack backtrace:")[0];
  const lines = text.split("\n").filter((line) =>
    !/^(Check|Download|Warning) /.test(line) &&
    !/still might work correctly|Re-run with --no-check|^\s*(info|hint):|^error: Type checking failed\.$/
      .test(line)
  );
  return relativePaths(explainBlockedImports(lines.join("\n").trim()), paths).replace(/^error: /, "")
    .replace(/\n{3,}/g, "\n\n");
}

/**
 * The errors Deno's default reporter lists for modules that failed outside any test (a throw
 * or a denied permission at import, an unhandled promise rejection), one per module.
 *
 * @example Usage
 * ```ts
 * import { uncaughtErrors } from "./diagnose.ts";
 * const out = "./x_test.ts (uncaught error)\nerror: (in promise) Error: kaboom\n    at file:///s/01-x/x.ts:2:7\n" +
 *   "This error was not caught from a test and caused the test runner to fail on the referenced module.\n";
 * console.log(uncaughtErrors(out, { root: "/r", submission: "/s" })); // ["Error: kaboom\n    at <submission>/01-x/x.ts:2:7"]
 * ```
 * @param output The default reporter's output.
 * @param paths The folders.
 * @returns One message per failed module.
 */
export function uncaughtErrors(output: string, paths: MessagePaths): string[] {
  const errors: string[] = [];
  const text = stripAnsi(output);
  const pattern = /\(uncaught error\)\nerror: ([\s\S]*?)(?:\nThis error was not caught|\n\n|$)/g;
  for (const match of text.matchAll(pattern)) {
    errors.push(cleanMessage(match[1].replace(/^\(in promise\) /, ""), paths, 1));
  }
  return errors;
}

/**
 * True when Deno's standard error shows V8 ran out of heap.
 *
 * @example Usage
 * ```ts
 * import { outOfMemory } from "./diagnose.ts";
 * console.log(outOfMemory("# Fatal JavaScript out of memory: Reached heap limit")); // true
 * ```
 * @param stderr Standard error of the test process.
 * @returns Whether the heap limit was hit.
 */
export function outOfMemory(stderr: string): boolean {
  return /out of memory|Reached heap limit/i.test(stderr);
}

/**
 * Removes terminal colour codes.
 *
 * @example Usage
 * ```ts
 * import { stripAnsi } from "./diagnose.ts";
 * console.log(stripAnsi("\x1b[31merror\x1b[0m")); // "error"
 * ```
 * @param text Text that may hold ANSI escapes.
 * @returns The plain text.
 */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/**
 * Turns a `file://` URL in Deno's TAP file field or a relative module path into an absolute path.
 *
 * @example Usage
 * ```ts
 * import { modulePath } from "./diagnose.ts";
 * console.log(modulePath("./katas/01-x/x_test.ts", "/repo")); // "/repo/katas/01-x/x_test.ts"
 * ```
 * @param file The module as Deno named it.
 * @param root The working directory Deno ran in.
 * @returns The absolute path.
 */
export function modulePath(file: string, root: string): string {
  if (file.startsWith("file://")) return fileURLToPath(file);
  return fileURLToPath(new URL(file, pathToFileURL(`${root}/`)));
}
