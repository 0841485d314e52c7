/**
 * The mechanism that runs one set of tests against different code: tests import the
 * learner's module relatively (`./input_scaling.ts`), and an import map remaps those
 * files to another directory laid out like `katas/` (the reference `solutions/`, or a
 * learner's submission). The map also carries `deno.json`'s own imports, made absolute.
 *
 * @example Usage
 * ```ts ignore
 * import { writeImportMap } from "./import_map.ts";
 * import { listKatas, ROOT } from "../catalog/katas.ts";
 * const path = await writeImportMap(`${ROOT}/solutions`, await listKatas());
 * ```
 * @module
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Kata, ROOT } from "../catalog/katas.ts";

/**
 * Builds the import map sending each kata's learner modules to `target/<slug>/`, and the kata's support
 * modules, wherever the code under test imports them from, to the kata's own folder.
 *
 * @example Usage
 * ```ts ignore
 * import { importMapFor } from "./import_map.ts";
 * const map = await importMapFor("/tmp/submission", katas);
 * ```
 * @param target A directory laid out like `katas/`.
 * @param katas The katas whose modules to remap.
 * @param root The repository root (holding `deno.json`).
 * @param extraTests Directories laid out like `katas/` holding more tests (e.g. a course's hidden
 *   tests); their relative imports of a kata's modules are remapped to `target` too.
 * @returns The import map.
 */
export async function importMapFor(
  target: string,
  katas: Kata[],
  root: string = ROOT,
  extraTests: string[] = [],
): Promise<{ imports: Record<string, string> }> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const imports: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.imports as Record<string, string>)) {
    const local = value.startsWith("./") || value.startsWith("../");
    imports[key] = local
      ? pathToFileURL(resolve(root, value)).href + (value.endsWith("/") ? "/" : "")
      : value;
  }
  for (const kata of katas) {
    for (const module of kata.modules) {
      const to = pathToFileURL(join(resolve(target), kata.slug, module)).href;
      for (const from of [kata.dir, ...extraTests.map((dir) => join(resolve(dir), kata.slug))]) {
        imports[pathToFileURL(join(from, module)).href] = to;
      }
    }
    // Support modules (the kata's contract, shared setup) are the kata's own wherever the code under test
    // lives: a learner module's `import … from "../contract.ts"` reaches `katas/<slug>/contract.ts`.
    for (const module of kata.support) {
      const from = pathToFileURL(join(resolve(target), kata.slug, module)).href;
      if (resolve(target, kata.slug) !== kata.dir) imports[from] = pathToFileURL(join(kata.dir, module)).href;
    }
  }
  return { imports };
}

/** Where {@linkcode writeImportMap} writes, and what it maps. */
export interface ImportMapOptions {
  /** The repository root (default: this repository). */
  root?: string;
  /** Directories of extra tests whose imports are remapped too (see {@linkcode importMapFor}). */
  extraTests?: string[];
  /** Directory to write the file in (default: a new temporary file). */
  dir?: string;
}

/**
 * Writes {@linkcode importMapFor}'s map to a temporary file and returns its path.
 *
 * @example Usage
 * ```ts ignore
 * import { writeImportMap } from "./import_map.ts";
 * const path = await writeImportMap("/work/main/solutions", katas);
 * ```
 * @param target A directory laid out like `katas/`.
 * @param katas The katas whose modules to remap.
 * @param options Root, extra test directories, and where to write.
 * @returns Path of the written JSON file.
 */
export async function writeImportMap(
  target: string,
  katas: Kata[],
  options: ImportMapOptions = {},
): Promise<string> {
  const path = options.dir
    ? join(options.dir, "import_map.json")
    : await Deno.makeTempFile({ prefix: "ml-katas-map-", suffix: ".json" });
  const map = await importMapFor(target, katas, options.root, options.extraTests);
  await Deno.writeTextFile(path, JSON.stringify(map, null, 2));
  return path;
}
