/**
 * The pristine (as published) version of a kata's stub files, read from git: the
 * upstream (`origin/HEAD`, else the branch's upstream) when the clone has one, else the commit that added the
 * file — never a commit of the learner's own.
 *
 * @example Usage
 * ```ts ignore
 * import { pristineStub } from "./pristine.ts";
 * const text = await pristineStub("katas/01-input-scaling/input_scaling.ts");
 * ```
 * @module
 */
import { ROOT } from "./katas.ts";

async function git(args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const out = await new Deno.Command("git", { args, cwd: ROOT, stdout: "piped", stderr: "piped" }).output();
    return { ok: out.success, text: new TextDecoder().decode(out.success ? out.stdout : out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { ok: false, text: "git is not installed" };
    throw error;
  }
}

/**
 * The published content of `path` (relative to the repository root).
 *
 * @example Usage
 * ```ts ignore
 * import { pristineStub } from "./pristine.ts";
 * console.log(await pristineStub("katas/01-input-scaling/input_scaling.ts"));
 * ```
 * @param path Repository-relative file path.
 * @returns The file's published text.
 * @throws When the repository has no git history for the file.
 */
export async function pristineStub(path: string): Promise<string> {
  // The clone's upstream, else the commit that added the file: never the learner's own commits.
  const added = await git(["log", "--diff-filter=A", "--format=%H", "-1", "--", path]);
  const refs = ["origin/HEAD", "@{upstream}", ...(added.ok && added.text.trim() ? [added.text.trim()] : [])];
  for (const ref of refs) {
    const shown = await git(["show", `${ref}:${path}`]);
    if (shown.ok) return shown.text;
  }
  throw new Error(
    `cannot find the published version of ${path} in git (tried origin/HEAD, the upstream and the commit that added it); ` +
      `re-clone the repository to get the pristine stubs`,
  );
}
