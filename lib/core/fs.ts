/**
 * Whether a path exists, and as what: the one place that turns "not found" into `false` and lets every
 * other error (a permission denied, an I/O error) through.
 *
 * @example Usage
 * ```ts
 * import { isDirectory, isFile, pathExists } from "@lib/core/fs.ts";
 * console.log(await isDirectory("lib"), await isFile("deno.json"), await pathExists("no/such/path")); // true true false
 * ```
 * @module
 */

/**
 * What is at `path`, or `undefined` when nothing is there (`lstat`: a symbolic link is not followed).
 *
 * @example Usage
 * ```ts
 * import { pathInfo } from "@lib/core/fs.ts";
 * console.log((await pathInfo("lib"))?.isDirectory, await pathInfo("no/such/path")); // true undefined
 * ```
 * @param path The path.
 * @returns Its information.
 */
export async function pathInfo(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Whether anything (a file, a folder, a link) is at `path`.
 *
 * @example Usage
 * ```ts
 * import { pathExists } from "@lib/core/fs.ts";
 * console.log(await pathExists("deno.json")); // true
 * ```
 * @param path The path.
 * @returns Whether it exists.
 */
export async function pathExists(path: string): Promise<boolean> {
  return (await pathInfo(path)) !== undefined;
}

/**
 * Whether `path` is a regular file (not a link to one).
 *
 * @example Usage
 * ```ts
 * import { isFile } from "@lib/core/fs.ts";
 * console.log(await isFile("deno.json")); // true
 * ```
 * @param path The path.
 * @returns Whether it is a file.
 */
export async function isFile(path: string): Promise<boolean> {
  return (await pathInfo(path))?.isFile ?? false;
}

/**
 * Whether `path` is a folder (not a link to one).
 *
 * @example Usage
 * ```ts
 * import { isDirectory } from "@lib/core/fs.ts";
 * console.log(await isDirectory("lib")); // true
 * ```
 * @param path The path.
 * @returns Whether it is a folder.
 */
export async function isDirectory(path: string): Promise<boolean> {
  return (await pathInfo(path))?.isDirectory ?? false;
}
