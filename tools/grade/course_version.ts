/**
 * The version of everything a grade depends on besides the submission: the course repository (its git
 * commit, plus a digest of uncommitted changes; without git, a digest of its `katas/`, `lib/`, `deno.json`
 * and `deno.lock`), the grader's own repository when it is another one, and the hidden tests (a digest of
 * their files). A roster run regrades a learner only when this or the submission changed.
 *
 * @example Usage
 * ```ts ignore
 * import { courseVersion } from "./course_version.ts";
 * console.log(await courseVersion("/work/course", "/work/hidden"));
 * // "course 84f4092… + local changes 5e1c…; hidden tests 0a9d…"
 * ```
 * @module
 */
import { join, resolve } from "node:path";
import { ROOT } from "../catalog/katas.ts";
import { sha256 } from "./roster.ts";

async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("git", {
      args: ["-C", dir, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      env: { GIT_OPTIONAL_LOCKS: "0" },
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined; // no git
  }
}

/** Every file under `dir` (sorted relative paths with their content), digested; "" when there is none. */
async function treeDigest(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (path: string, rel: string) => {
    const entries: Deno.DirEntry[] = [];
    try {
      for await (const entry of Deno.readDir(path)) entries.push(entry);
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
      const child = join(path, entry.name);
      if (entry.isDirectory) await walk(child, `${rel}${entry.name}/`);
      else if (entry.isFile) parts.push(`${rel}${entry.name}\0${await sha256(await Deno.readFile(child))}`);
    }
  };
  await walk(dir, "");
  return parts.length ? await sha256(parts.join("\n")) : "";
}

/** One repository's version: its commit (and a digest of local changes), or a digest of its course files. */
async function repositoryVersion(dir: string): Promise<string> {
  const commit = (await git(dir, ["rev-parse", "HEAD"]))?.trim();
  if (commit) {
    const status = await git(dir, ["status", "--porcelain", "--untracked-files=all", "--", "."]) ?? "";
    if (!status.trim()) return commit;
    const diff = await git(dir, ["diff", "HEAD", "--", "."]) ?? "";
    return `${commit} + local changes ${await sha256(`${status}\n${diff}`)}`;
  }
  const digests = await Promise.all(["katas", "lib", "deno.json", "deno.lock"].map(async (name) => {
    const path = join(dir, name);
    const info = await Deno.stat(path).catch(() => undefined);
    if (!info) return "";
    return `${name}:${info.isFile ? await sha256(await Deno.readFile(path)) : await treeDigest(path)}`;
  }));
  return `files ${await sha256(digests.join("\n"))}`;
}

/**
 * The version of the course, the grader and the hidden tests (see the module doc).
 *
 * @example Usage
 * ```ts ignore
 * import { courseVersion } from "./course_version.ts";
 * const version = await courseVersion(ROOT);
 * ```
 * @param root The course repository.
 * @param extraTests The hidden tests' folder, if any.
 * @returns One line naming the versions.
 */
export async function courseVersion(root: string, extraTests?: string): Promise<string> {
  const parts = [`course ${await repositoryVersion(resolve(root))}`];
  const graderRoot = (await git(ROOT, ["rev-parse", "--show-toplevel"]))?.trim() ?? ROOT;
  const courseRoot = (await git(root, ["rev-parse", "--show-toplevel"]))?.trim() ?? resolve(root);
  if (resolve(graderRoot) !== resolve(courseRoot)) parts.push(`grader ${await repositoryVersion(ROOT)}`);
  if (extraTests) parts.push(`hidden tests ${await treeDigest(resolve(extraTests)) || "(none)"}`);
  return parts.join("; ");
}
