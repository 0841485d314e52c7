/**
 * A temporary copy of this repository as git sees it — every tracked file and every untracked one git does
 * not ignore, as it is in the working
 * tree — with its npm dependencies installed (`deno install --frozen`, from Deno's cache), for tests that
 * must run the project's own tasks on a changed copy (e.g. a kata added under a new number).
 *
 * @example Usage
 * ```ts ignore
 * import { makeTempCheckout } from "./temp_checkout.ts";
 * const checkout = await makeTempCheckout();
 * try {
 *   // change checkout.root, run `deno run -A tools/launch.ts verify 07` there
 * } finally {
 *   await checkout.remove();
 * }
 * ```
 * @module
 */
import { dirname, join } from "node:path";
import { ROOT } from "../catalog/katas.ts";

/** A temporary checkout. */
export interface TempCheckout {
  /** Its root folder. */
  root: string;
  /** Deletes it. */
  remove(): Promise<void>;
}

/**
 * Copies the tracked files of this repository into a new temporary folder and installs the dependencies.
 *
 * @example Usage
 * ```ts ignore
 * import { makeTempCheckout } from "./temp_checkout.ts";
 * const { root, remove } = await makeTempCheckout();
 * await remove();
 * ```
 * @returns The checkout.
 * @throws {Error} When git cannot list the files or the install fails.
 */
export async function makeTempCheckout(): Promise<TempCheckout> {
  const listed = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: ROOT,
    stdout: "piped",
  })
    .output();
  if (!listed.success) {
    throw new Error("git ls-files failed: a temporary checkout needs this repository's git");
  }
  const root = await Deno.makeTempDir({ prefix: "ml-katas-checkout-" });
  const remove = () => Deno.remove(root, { recursive: true });
  try {
    for (const file of new TextDecoder().decode(listed.stdout).split("\0").filter(Boolean)) {
      const from = join(ROOT, file);
      const info = await Deno.lstat(from).catch(() => undefined);
      if (!info?.isFile) continue; // deleted in the working tree, or a link
      await Deno.mkdir(dirname(join(root, file)), { recursive: true });
      await Deno.copyFile(from, join(root, file));
    }
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["install", "--frozen", "--quiet"],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!install.success) throw new Error(`deno install failed: ${new TextDecoder().decode(install.stderr)}`);
    return { root, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
