/**
 * Closes the one way to read a file that Deno's permissions do not cover: loading it as a
 * module. A static `import` (and a JSON import) needs no read permission, so graded code could
 * otherwise import `/etc/passwd` and get it quoted back in a parse error, or import a hidden
 * test's data. The graded run's import map therefore sends every `file:` URL to a folder that
 * does not exist ({@linkcode BLOCKED_PREFIX}), except:
 *
 * - the folders a graded run may load from (its kata, `lib/`, `fixtures/`, `node_modules/`, the
 *   staged submission, its scratch folder) and a few single files (the preload);
 * - private folders (the hidden tests): only modules inside such a folder may load modules in
 *   it (an import map scope), so the hidden tests load their data and graded code cannot.
 *
 * Import maps apply to every module a Deno process resolves, dynamic imports and Workers
 * included, and in both isolation modes; with bubblewrap the files are not even there.
 *
 * @example Usage
 * ```ts
 * import { guardImportMap } from "./import_guard.ts";
 * const map = guardImportMap({ imports: {} }, { dirs: ["/repo/lib"], files: [], privateDirs: ["/hidden/01-x"] });
 * console.log(map.imports["file:///"]); // "file:///graded-code-may-not-import/"
 * console.log(map.scopes["file:///hidden/01-x/"]); // { "file:///hidden/01-x/": "file:///hidden/01-x/" }
 * ```
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";

/** Where a blocked `file:` URL is sent: a folder that does not exist, named for the reader of an error. */
export const BLOCKED_PREFIX = "file:///graded-code-may-not-import/";

/** What graded code may load as modules. */
export interface ImportGuard {
  /** Folders any module may load from. */
  dirs: string[];
  /** Single files any module may load (the preload, the hidden test files as test roots). */
  files: string[];
  /** Folders only their own modules may load from. */
  privateDirs: string[];
}

/** An import map. */
export interface ImportMap {
  /** Specifier (prefix) → URL. */
  imports: Record<string, string>;
  /** Referrer prefix → its own mappings. */
  scopes?: Record<string, Record<string, string>>;
}

function dirUrl(dir: string): string {
  const url = pathToFileURL(dir).href;
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * Adds the guard to an import map (see the module doc). Mappings the map already has for
 * files inside a private folder (a hidden test's import of the learner's module) are kept for
 * that folder's modules.
 *
 * @example Usage
 * ```ts
 * import { guardImportMap } from "./import_guard.ts";
 * const map = guardImportMap({ imports: { "@lib/": "file:///r/lib/" } }, { dirs: ["/r/lib"], files: ["/r/pre.ts"], privateDirs: [] });
 * console.log(map.imports["file:///r/lib/"], map.imports["file:///r/pre.ts"]); // "file:///r/lib/" "file:///r/pre.ts"
 * ```
 * @param map The map (not changed).
 * @param guard What may be loaded.
 * @returns A new map with the guard.
 */
export function guardImportMap(map: ImportMap, guard: ImportGuard): Required<ImportMap> {
  const imports: Record<string, string> = { ...map.imports, "file:///": BLOCKED_PREFIX };
  for (const dir of guard.dirs) {
    const url = dirUrl(dir);
    imports[url] ??= url;
  }
  for (const file of guard.files) {
    const url = pathToFileURL(file).href;
    imports[url] ??= url;
  }
  const scopes: Record<string, Record<string, string>> = { ...map.scopes };
  for (const dir of guard.privateDirs) {
    const url = dirUrl(dir);
    const inside = Object.entries(map.imports).filter(([key]) => key.startsWith(url));
    scopes[url] = { ...scopes[url], [url]: url, ...Object.fromEntries(inside) };
  }
  return { imports, scopes };
}

/**
 * The local folders an import map sends specifiers to (a prefix mapping's folder, a file
 * mapping's parent), so a sandbox can make them visible and loadable.
 *
 * @example Usage
 * ```ts
 * import { localTargets } from "./import_guard.ts";
 * console.log(localTargets({ imports: { "@lib/": "file:///r/lib/", "x": "file:///r/std/x.ts", "y": "npm:y@1" } }));
 * // ["/r/lib", "/r/std"]
 * ```
 * @param map An import map.
 * @returns Absolute folder paths, without duplicates.
 */
export function localTargets(map: ImportMap): string[] {
  const dirs = new Set<string>();
  for (const target of Object.values(map.imports)) {
    if (!target.startsWith("file://")) continue;
    const url = new URL(target.endsWith("/") ? target : "./", target);
    dirs.add(fileURLToPath(url).replace(/[\\/]$/, ""));
  }
  return [...dirs];
}
