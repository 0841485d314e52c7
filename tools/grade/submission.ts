/**
 * Stages a kata's folder of a submission for grading: a copy of its regular files only, so a
 * symbolic link in the submission (say to `/etc/passwd`) cannot widen the sandbox's read access
 * and later edits to the original cannot change what is graded.
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
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Kata } from "../katas.ts";

/** Most bytes copied from one kata folder of a submission. */
export const MAX_STAGED_BYTES = 16 * 1024 * 1024;

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

/**
 * Finds the folder laid out like `katas/` in what the user passed: the folder itself, or its
 * `katas/` subfolder when given a learner's repository.
 *
 * @example Usage
 * ```ts ignore
 * import { submissionRoot } from "./submission.ts";
 * console.log(await submissionRoot("/work/learner-repo", katas)); // "/work/learner-repo/katas"
 * ```
 * @param dir The `--submission` folder.
 * @param katas The katas being graded.
 * @returns The folder holding `NN-slug/` subfolders.
 */
export async function submissionRoot(dir: string, katas: Kata[]): Promise<string> {
  const hasKata = async (base: string) => {
    for (const kata of katas) if (await exists(join(base, kata.slug))) return true;
    return false;
  };
  if (!(await hasKata(dir)) && await hasKata(join(dir, "katas"))) return join(dir, "katas");
  return dir;
}

/** The regular files of a folder (relative path → content), the links and such it holds, or a problem. */
async function collect(
  source: string,
  slug: string,
): Promise<{ files: Map<string, Uint8Array>; skipped: string[]; problem?: string }> {
  const files = new Map<string, Uint8Array>();
  const skipped: string[] = [];
  let bytes = 0;
  const walk = async (dir: string, rel: string): Promise<string | undefined> => {
    for await (const entry of Deno.readDir(dir)) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        const problem = await walk(join(dir, entry.name), name);
        if (problem) return problem;
      } else if (entry.isFile) {
        const content = await Deno.readFile(join(dir, entry.name));
        bytes += content.length;
        if (bytes > MAX_STAGED_BYTES) {
          return `${slug}/ holds more than ${
            MAX_STAGED_BYTES / 1024 / 1024
          } MiB; submit the source files only`;
        }
        files.set(name, content);
      } else {
        skipped.push(`${slug}/${name}`);
      }
    }
  };
  const problem = await walk(source, "");
  return { files, skipped, problem };
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
  try {
    const found = await collect(join(dir, slug), slug);
    return found.skipped.length === 0 && await contentHash(found.files) === await contentHash(files);
  } catch {
    return false;
  }
}

async function prune(): Promise<void> {
  try {
    for await (const entry of Deno.readDir(STAGING_DIR)) {
      const path = join(STAGING_DIR, entry.name);
      const info = await Deno.stat(path);
      if (Date.now() - (info.mtime?.getTime() ?? Date.now()) > KEEP_MS) {
        await Deno.remove(path, { recursive: true }).catch(() => {});
      }
    }
  } catch {
    // nothing staged yet, or a concurrent prune
  }
}

/**
 * Copies `from/<slug>/` (regular files only) to a content-addressed folder and checks that every
 * module the kata's tests import is there.
 *
 * @example Usage
 * ```ts ignore
 * import { stageSubmission } from "./submission.ts";
 * const { dir, problem } = await stageSubmission("/work/learner/katas", kata);
 * ```
 * @param from The submission (laid out like `katas/`).
 * @param kata The kata.
 * @returns The staged folder, or the problem, and what was skipped.
 */
export async function stageSubmission(from: string, kata: Kata): Promise<Staged> {
  const source = join(from, kata.slug);
  if (!(await exists(source))) return { problem: `the submission has no ${kata.slug}/ folder`, skipped: [] };
  const { files, skipped, problem } = await collect(source, kata.slug);
  if (problem) return { problem, skipped };
  const missing = kata.modules.filter((m) => !files.has(m)).map((m) => {
    const name = `${kata.slug}/${m}`;
    return skipped.includes(name) ? `${name} (a link, not a file)` : name;
  });
  if (missing.length) return { problem: `the submission lacks ${missing.join(", ")}`, skipped };
  await Deno.mkdir(STAGING_DIR, { recursive: true });
  await prune();
  const dir = join(STAGING_DIR, `${kata.slug}-${await contentHash(files)}`);
  if (await exists(dir)) {
    if (await holds(dir, kata.slug, files)) {
      await Deno.utime(dir, new Date(), new Date()).catch(() => {});
      return { dir, skipped };
    }
    // Someone changed it: stage privately instead.
    const own = await Deno.makeTempDir({ dir: STAGING_DIR, prefix: `${kata.slug}-own-` });
    await write(own, kata.slug, files);
    return { dir: own, skipped };
  }
  const temporary = await Deno.makeTempDir({ dir: STAGING_DIR, prefix: `.${kata.slug}-` });
  await write(temporary, kata.slug, files);
  try {
    await Deno.rename(temporary, dir);
  } catch {
    // A concurrent grading staged the same files first; theirs is identical.
    await Deno.remove(temporary, { recursive: true });
  }
  return { dir, skipped };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
