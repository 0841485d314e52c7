/**
 * Stages a kata's folder of a submission for grading: a copy of its regular files only, so a
 * symbolic link in the submission (say to `/etc/passwd`) cannot widen the sandbox's read access
 * and later edits to the original cannot change what is graded.
 *
 * Nothing is read or copied before the whole folder has been looked over: a kata folder that
 * is itself a symbolic link or resolves outside the submission, more than
 * {@linkcode MAX_STAGED_FILES} files, more than {@linkcode MAX_STAGED_BYTES} bytes, folders
 * nested deeper than {@linkcode MAX_DEPTH}, a path longer than {@linkcode MAX_PATH_CHARS}
 * characters, or a file name that is not valid UTF-8 is refused with a message naming it,
 * and every error while reading becomes such a message: staging never throws.
 *
 * The copy lives in a folder named after a hash of its content, shared by gradings of the
 * same files and never changed once written: Deno's type-check cache is keyed by module paths,
 * so an unchanged submission (the reference solutions in `deno task verify`) is type-checked
 * once, not on every grading. Staged folders unused for a week are removed.
 *
 * @example Usage
 * ```ts ignore
 * import { stageSubmission } from "./submission.ts";
 * const staged = await stageSubmission("/work/learner/katas", kata);
 * if (staged.problem) console.log(staged.problem);
 * else console.log(staged.dir); // laid out like katas/, holding only this kata
 * ```
 * @module
 */
import { isAbsolute, join, relative } from "node:path";
import { tmpdir } from "node:os";
import type { Kata } from "../catalog/katas.ts";
import { pathInfo } from "@lib/core/fs.ts";

/** Most bytes copied from one kata folder of a submission. */
export const MAX_STAGED_BYTES = 16 * 1024 * 1024;

/** Most files in one kata folder of a submission. */
export const MAX_STAGED_FILES = 1000;

/** Deepest folder nesting in a kata folder of a submission. */
export const MAX_DEPTH = 16;

/** Longest path (relative to the kata folder) in a submission, in characters. */
export const MAX_PATH_CHARS = 1024;

/** Where staged submissions are kept. */
export const STAGING_DIR: string = join(tmpdir(), "ml-katas-grade-staged");

/** Staged folders untouched for this long are removed, in milliseconds. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/** What {@linkcode stageSubmission} did. */
export interface Staged {
  /** The staged copy, laid out like `katas/` (holding `<slug>/`), when there is one. */
  dir?: string;
  /** Why the kata cannot be graded (no folder, a missing module, an oversized folder), if it cannot. */
  problem?: string;
  /** Entries left out because they are not regular files (links, devices). */
  skipped: string[];
}

/** Thrown when the submission as a whole cannot be used (its `katas/` is a link). */
export class SubmissionError extends Error {
  /** @param message What is wrong and what to do. */
  constructor(message: string) {
    super(message);
    this.name = "SubmissionError";
  }
}

/**
 * Finds the folder laid out like `katas/` in what the user passed: the folder itself, or its
 * `katas/` subfolder when given a learner's repository, or the same inside its only folder (an
 * unpacked archive of the repository, `ml-katas-main/katas/`, as Gradescope hands an upload over),
 * at most two folders down. A `katas/` that is a symbolic link is refused
 * ({@linkcode SubmissionError}): it could point at code that is not the learner's.
 *
 * @example Usage
 * ```ts ignore
 * import { submissionRoot } from "./submission.ts";
 * console.log(await submissionRoot("/work/learner-repo", katas)); // "/work/learner-repo/katas"
 * ```
 * @param dir The `--submission` folder.
 * @param katas The katas being graded.
 * @param depth How many single folders down to look.
 * @returns The folder holding `NN-slug/` subfolders (`dir` itself when none does).
 */
export async function submissionRoot(dir: string, katas: Kata[], depth = 2): Promise<string> {
  const hasKata = async (base: string) => {
    for (const kata of katas) if (await pathInfo(join(base, kata.slug))) return true;
    return false;
  };
  if (await hasKata(dir)) return dir;
  const inner = join(dir, "katas");
  const info = await pathInfo(inner);
  if (info?.isSymlink) {
    throw new SubmissionError(
      `${inner} is a symbolic link; grade the folder it points to with --submission if you trust it`,
    );
  }
  if (info?.isDirectory && await hasKata(inner)) return inner;
  if (depth > 0) {
    const folders: string[] = [];
    try {
      for await (const entry of Deno.readDir(dir)) {
        const skip = entry.name.startsWith(".") || entry.name === "__MACOSX" || entry.name === "node_modules";
        if (entry.isDirectory && !skip) folders.push(entry.name);
      }
    } catch {
      return dir;
    }
    if (folders.length === 1) {
      const found = await submissionRoot(join(dir, folders[0]), katas, depth - 1);
      if (await hasKata(found)) return found;
    }
  }
  return dir;
}

/** A regular file to copy. */
interface Found {
  /** Path relative to the kata folder, with `/`. */
  name: string;
  /** Size when looked at. */
  size: number;
}

/** Looks the folder over without reading a file: its files, what was skipped, or the problem. */
async function survey(
  source: string,
  slug: string,
): Promise<{ files: Found[]; skipped: string[]; problem?: string }> {
  const files: Found[] = [];
  const skipped: string[] = [];
  let bytes = 0;
  const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`;
  const walk = async (dir: string, rel: string, depth: number): Promise<string | undefined> => {
    if (depth > MAX_DEPTH) return `${slug}/${rel} is nested more than ${MAX_DEPTH} folders deep`;
    for await (const entry of Deno.readDir(dir)) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name.includes("\uFFFD")) {
        return `${slug}/ holds a file name that is not valid UTF-8 (${JSON.stringify(name)}); rename it`;
      }
      if (name.length > MAX_PATH_CHARS) {
        return `${slug}/ holds a path longer than ${MAX_PATH_CHARS} characters (${name.slice(0, 60)}…)`;
      }
      if (entry.isSymlink || !(entry.isFile || entry.isDirectory)) {
        skipped.push(`${slug}/${name}`);
      } else if (entry.isDirectory) {
        const problem = await walk(join(dir, entry.name), name, depth + 1);
        if (problem) return problem;
      } else {
        const { size } = await Deno.lstat(join(dir, entry.name));
        files.push({ name, size });
        bytes += size;
        if (files.length > MAX_STAGED_FILES) {
          return `${slug}/ holds more than ${MAX_STAGED_FILES} files; submit the source files only`;
        }
        if (bytes > MAX_STAGED_BYTES) {
          return `${slug}/ holds more than ${mib(MAX_STAGED_BYTES)} (${name} alone is ${
            mib(size)
          }); submit the source files only`;
        }
      }
    }
  };
  try {
    return { files, skipped, problem: await walk(source, "", 0) };
  } catch (error) {
    return { files, skipped, problem: `cannot read ${slug}/: ${describe(error)}` };
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/name too long|os error 36/i.test(text)) return "a path in it is longer than the system allows";
  return text.slice(0, 300);
}

/** Reads at most `limit` bytes of a file; undefined when it holds more (it grew since the survey). */
async function readAtMost(path: string, limit: number): Promise<Uint8Array | undefined> {
  const file = await Deno.open(path);
  try {
    const buffer = new Uint8Array(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = await file.read(buffer.subarray(length));
      if (read === null) break;
      length += read;
    }
    return length > limit ? undefined : buffer.slice(0, length);
  } finally {
    file.close();
  }
}

/** The regular files of a folder (relative path → content), the links and such it holds, or a problem. */
async function collect(
  source: string,
  slug: string,
): Promise<{ files: Map<string, Uint8Array>; skipped: string[]; problem?: string }> {
  const files = new Map<string, Uint8Array>();
  const { files: found, skipped, problem } = await survey(source, slug);
  if (problem) return { files, skipped, problem };
  let budget = MAX_STAGED_BYTES;
  try {
    for (const { name, size } of found) {
      const content = await readAtMost(join(source, name), Math.min(budget, Math.max(size, 0)));
      if (!content) return { files, skipped, problem: `${slug}/${name} changed while it was being staged` };
      budget -= content.length;
      files.set(name, content);
    }
  } catch (error) {
    return { files, skipped, problem: `cannot read ${slug}/: ${describe(error)}` };
  }
  return { files, skipped };
}

async function contentHash(files: Map<string, Uint8Array>): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name)!;
    parts.push(encoder.encode(`${name}\0${content.length}\0`), content);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function write(dir: string, slug: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const [name, content] of files) {
    const path = join(dir, slug, name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeFile(path, content);
  }
}

/** Whether `dir/<slug>/` holds exactly `files` (a reused folder must not have been tampered with). */
async function holds(dir: string, slug: string, files: Map<string, Uint8Array>): Promise<boolean> {
  const found = await collect(join(dir, slug), slug);
  return !found.problem && found.skipped.length === 0 &&
    await contentHash(found.files) === await contentHash(files);
}

async function prune(staging: string): Promise<void> {
  try {
    for await (const entry of Deno.readDir(staging)) {
      const path = join(staging, entry.name);
      const info = await Deno.stat(path);
      if (Date.now() - (info.mtime?.getTime() ?? Date.now()) > KEEP_MS) {
        await Deno.remove(path, { recursive: true }).catch(() => {});
      }
    }
  } catch {
    // nothing staged yet, or a concurrent prune
  }
}

/** Why `source` (a kata folder of the submission `from`) may not be graded, if it may not. */
async function folderProblem(from: string, source: string, slug: string): Promise<string | undefined> {
  const info = await pathInfo(source);
  if (!info) return `the submission has no ${slug}/ folder`;
  if (info.isSymlink) {
    return `the submission's ${slug}/ is a symbolic link, not a folder; submit the folder itself`;
  }
  if (!info.isDirectory) return `the submission's ${slug} is not a folder`;
  const [real, base] = await Promise.all([Deno.realPath(source), Deno.realPath(from)]);
  const inside = relative(base, real);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    return `the submission's ${slug}/ resolves outside the submission (to ${real})`;
  }
  return undefined;
}

/**
 * Copies `from/<slug>/` (regular files only) to a content-addressed folder and checks that every
 * module the kata's tests import is there. Never throws: whatever goes wrong is the `problem`.
 *
 * @example Usage
 * ```ts ignore
 * import { stageSubmission } from "./submission.ts";
 * const { dir, problem } = await stageSubmission("/work/learner/katas", kata);
 * ```
 * @param from The submission (laid out like `katas/`).
 * @param kata The kata.
 * @param staging Where staged copies are kept (default {@linkcode STAGING_DIR}).
 * @returns The staged folder, or the problem, and what was skipped.
 */
export async function stageSubmission(
  from: string,
  kata: Kata,
  staging: string = STAGING_DIR,
): Promise<Staged> {
  const source = join(from, kata.slug);
  try {
    const refused = await folderProblem(from, source, kata.slug);
    if (refused) return { problem: refused, skipped: [] };
    const { files, skipped, problem } = await collect(source, kata.slug);
    if (problem) return { problem, skipped };
    const missing = kata.modules.filter((m) => !files.has(m)).map((m) => {
      const name = `${kata.slug}/${m}`;
      return skipped.includes(name) ? `${name} (a link, not a file)` : name;
    });
    if (missing.length) return { problem: `the submission lacks ${missing.join(", ")}`, skipped };
    return { dir: await store(staging, kata.slug, files), skipped };
  } catch (error) {
    return { problem: `cannot stage ${kata.slug}/: ${describe(error)}`, skipped: [] };
  }
}

/** Writes the files to their content-addressed folder (or reuses it) and returns the folder. */
async function store(staging: string, slug: string, files: Map<string, Uint8Array>): Promise<string> {
  await Deno.mkdir(staging, { recursive: true });
  await prune(staging);
  const dir = join(staging, `${slug}-${await contentHash(files)}`);
  if (await pathInfo(dir)) {
    if (await holds(dir, slug, files)) {
      await Deno.utime(dir, new Date(), new Date()).catch(() => {});
      return dir;
    }
    // Someone changed it: stage privately instead.
    const own = await Deno.makeTempDir({ dir: staging, prefix: `${slug}-own-` });
    await write(own, slug, files);
    return own;
  }
  const temporary = await Deno.makeTempDir({ dir: staging, prefix: `.${slug}-` });
  try {
    await write(temporary, slug, files);
    await Deno.rename(temporary, dir);
  } catch (error) {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    // A concurrent grading staged the same files first; theirs is identical.
    if (!(await pathInfo(dir))) throw error;
  }
  return dir;
}
