/**
 * Finds the katas in the repository and resolves a kata name given by a user.
 *
 * A kata is a folder `katas/NN-slug/` with a `kata.json`; it is addressed by its
 * number (`01`, `1`) or its slug (`01-input-scaling`, `input-scaling`).
 *
 * @example Usage
 * ```ts
 * import { listKatas } from "./katas.ts";
 * for (const kata of await listKatas()) console.log(kata.id, kata.meta.title);
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadManifest, type Manifest, ManifestError } from "./manifest.ts";

/** The repository root (the folder holding `deno.json`). */
export const ROOT: string = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

/** A kata's manifest, from its `kata.json` (see `catalog/manifest.ts`). */
export type KataMeta = Manifest;

/** A kata found on disk. */
export interface Kata {
  /** Two-digit number, e.g. "01". */
  id: string;
  /** Folder name, e.g. "01-input-scaling". */
  slug: string;
  /** Absolute path of `katas/<slug>`. */
  dir: string;
  /** The learner-editable modules (`files.learner`): remapped to a submission or the solution. */
  modules: string[];
  /** Shared test support beside the tests (`files.support`): never remapped. */
  support: string[];
  /** The test files (`files.tests`). */
  tests: string[];
  /** The validated `kata.json`. */
  meta: Manifest;
}

/** Thrown when a kata name matches no kata; the message lists the valid names. */
export class UnknownKataError extends Error {
  /**
   * @param name What the user typed.
   * @param katas The katas that exist.
   */
  constructor(name: string, katas: Kata[]) {
    super(
      `unknown kata "${name}". Valid names:\n${katas.map((k) => `  ${k.id}  ${k.slug}`).join("\n")}`,
    );
    this.name = "UnknownKataError";
  }
}

/** A command line that cannot be used; the message says what is wrong and how to use the task. */
export class UsageError extends Error {
  /** @param message What is wrong, and the usage. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The names of the plain files directly in `dir`, or `undefined` when `dir` does not exist.
 *
 * @example Usage
 * ```ts
 * import { fileNames } from "./katas.ts";
 * console.log((await fileNames("katas/01-input-scaling"))?.has("kata.json")); // true
 * console.log(await fileNames("no/such/folder")); // undefined
 * ```
 * @param dir The folder.
 * @returns Its file names.
 */
export async function fileNames(dir: string): Promise<Set<string> | undefined> {
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.add(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  return names;
}

/**
 * Lists the katas under `root/katas`, sorted by number.
 *
 * @example Usage
 * ```ts
 * import { listKatas } from "./katas.ts";
 * console.log((await listKatas()).map((k) => k.slug));
 * ```
 * @param root The repository root.
 * @returns The katas.
 */
export async function listKatas(root: string = ROOT): Promise<Kata[]> {
  const katas: Kata[] = [];
  for await (const entry of Deno.readDir(join(root, "katas"))) {
    const match = /^(\d\d)-[a-z0-9-]+$/.exec(entry.name);
    if (!entry.isDirectory || !match) continue;
    const dir = join(root, "katas", entry.name);
    const meta = await loadManifest(dir, `katas/${entry.name}/kata.json`);
    const { learner, support = [], tests } = meta.files;
    katas.push({ id: match[1], slug: entry.name, dir, modules: learner, support, tests, meta });
  }
  return katas.sort((a, b) => a.slug.localeCompare(b.slug));
}

/**
 * Finds the kata a user means by `name` (number or slug).
 *
 * @example Usage
 * ```ts ignore
 * import { listKatas, resolveKata } from "./katas.ts";
 * const kata = resolveKata("1", await listKatas());
 * ```
 * @param name A number (`1`, `01`) or slug (`01-input-scaling`, `input-scaling`).
 * @param katas The katas that exist.
 * @returns The kata.
 * @throws {UnknownKataError} When nothing matches.
 */
export function resolveKata(name: string, katas: Kata[]): Kata {
  const wanted = name.trim().replace(/\/$/, "").replace(/^katas\//, "").toLowerCase();
  const found = katas.find((k) =>
    k.slug === wanted || k.slug.slice(3) === wanted ||
    (/^\d+$/.test(wanted) && Number(k.id) === Number(wanted))
  );
  if (!found) throw new UnknownKataError(name, katas);
  return found;
}

/**
 * Resolves each name, or every kata when `names` is empty.
 *
 * @example Usage
 * ```ts ignore
 * import { selectKatas } from "./katas.ts";
 * const chosen = await selectKatas(["01", "02"]);
 * ```
 * @param names Kata names; empty for all.
 * @param root The repository root.
 * @returns The selected katas.
 */
export async function selectKatas(names: string[], root: string = ROOT): Promise<Kata[]> {
  const katas = await listKatas(root);
  return names.length === 0 ? katas : names.map((n) => resolveKata(n, katas));
}

/**
 * Runs a CLI entry point: prints an {@linkcode UnknownKataError}, a `ManifestError` or a
 * {@linkcode UsageError} without a stack trace and exits 2, as every task does for an unknown kata
 * name, a broken `kata.json` or a wrong command line.
 *
 * @example Usage
 * ```ts ignore
 * import { cli } from "./katas.ts";
 * await cli(async () => 0);
 * ```
 * @param main The task's body, returning its exit code.
 */
export async function cli(main: () => Promise<number>): Promise<never> {
  try {
    Deno.exit(await main());
  } catch (error) {
    if (error instanceof UnknownKataError || error instanceof ManifestError || error instanceof UsageError) {
      console.error(error.message);
      Deno.exit(2);
    }
    // The census could not load the reference (census.ts): say so plainly, no stack.
    if (error instanceof Error && error.name === "CensusError") {
      console.error(
        `${error.message}\nThe reference in solutions/ (or the published stub) must load for the tests to be listed.`,
      );
      Deno.exit(1);
    }
    throw error;
  }
}
