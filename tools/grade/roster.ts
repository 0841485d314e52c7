/**
 * A class's roster of submissions for `deno task grade --roster`: a folder with one sub-folder per
 * learner (the folder's name is the learner's id), or a CSV or JSON list of learner ids with their
 * folders or git repositories. Learner ids become file names and gradebook cells, so they are checked:
 * letters, digits and `. _ @ + -`, starting with a letter or digit (no spreadsheet formula can start a
 * cell), at most 128 characters, unique regardless of case. `--shard i/n` takes a deterministic share.
 *
 * CSV: a header row naming `id` and `path` (a folder, relative to the CSV's folder) or `repo` (a git URL,
 * cloned beforehand by `deno task grade --clone`), and optionally `ref` (a branch or tag):
 *
 * ```csv
 * id,path
 * alice,submissions/alice
 * bob,submissions/bob
 * ```
 *
 * JSON: `[{"id": "alice", "path": "submissions/alice"}, {"id": "bob", "repo": "https://…/bob.git"}]`
 * or `{"alice": "submissions/alice", …}`.
 *
 * @example Usage
 * ```ts ignore
 * import { readRoster, shardOf } from "./roster.ts";
 * const learners = await readRoster("rosters/fall.csv");
 * console.log(shardOf(learners, { index: 1, count: 3 }).map((l) => l.id));
 * ```
 * @module
 */
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";

/** One learner of a roster. */
export interface Learner {
  /** The learner's id (folder name, gradebook row). */
  id: string;
  /** The submission folder (absolute), when the roster names one. */
  path?: string;
  /** A git repository to clone, when the roster names one instead of a folder. */
  repo?: string;
  /** The branch or tag to clone (default: the repository's default branch). */
  ref?: string;
}

/** A share of the roster: the `index`-th of `count` (1-based). */
export interface Shard {
  /** 1 … count. */
  index: number;
  /** How many shards. */
  count: number;
}

/** Thrown when a roster cannot be used; the message names what is wrong and the fix. */
export class RosterError extends Error {
  /** @param message What is wrong, and what to do. */
  constructor(message: string) {
    super(message);
    this.name = "RosterError";
  }
}

/** What a learner id may look like. */
export const LEARNER_ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/**
 * Whether `id` may be a learner id (see the module doc).
 *
 * @example Usage
 * ```ts
 * import { validLearnerId } from "./roster.ts";
 * console.log(validLearnerId("alice.smith@uni"), validLearnerId("=cmd()"), validLearnerId("../x")); // true false false
 * ```
 * @param id The id.
 * @returns Whether it is valid.
 */
export function validLearnerId(id: string): boolean {
  return LEARNER_ID.test(id) && id !== "." && id !== "..";
}

/**
 * Reads a roster: a folder of submissions, a `.csv` or a `.json` list (see the module doc).
 *
 * @example Usage
 * ```ts ignore
 * import { readRoster } from "./roster.ts";
 * const learners = await readRoster("out/clones/roster.csv");
 * ```
 * @param path The folder or file.
 * @param clones Where `deno task grade --clone` put the repositories a roster names (`<clones>/<id>`).
 * @returns The learners, sorted by id.
 * @throws {RosterError} When the roster is missing, malformed, or names an id twice or an invalid id.
 */
export async function readRoster(path: string, clones?: string): Promise<Learner[]> {
  const full = resolve(path);
  const info = await Deno.stat(full).catch(() => undefined);
  if (!info) throw new RosterError(`--roster: "${path}" does not exist`);
  let learners: Learner[];
  if (info.isDirectory) learners = await fromFolder(full);
  else if (/\.csv$/i.test(full)) learners = fromCsv(await Deno.readTextFile(full), dirname(full), path);
  else if (/\.json$/i.test(full)) learners = fromJson(await Deno.readTextFile(full), dirname(full), path);
  else throw new RosterError(`--roster: "${path}" is neither a folder nor a .csv or .json file`);
  check(learners, path);
  const withClones = learners.map((l) => l.repo && clones ? { ...l, path: join(resolve(clones), l.id) } : l);
  return withClones.sort((a, b) => compareIds(a.id, b.id));
}

/** Orders ids by code point, the same on every machine (no locale). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function fromFolder(dir: string): Promise<Learner[]> {
  const learners: Learner[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory ||
      (entry.isSymlink && (await Deno.stat(path).catch(() => undefined))?.isDirectory);
    if (isDir) learners.push({ id: entry.name, path });
  }
  if (learners.length === 0) throw new RosterError(`--roster: "${dir}" holds no submission folder`);
  return learners;
}

function entryOf(record: Record<string, unknown>, base: string, where: string): Learner {
  const text = (key: string) => {
    const value = record[key];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") throw new RosterError(`${where}: "${key}" must be text`);
    return value.trim();
  };
  const id = text("id");
  const path = text("path");
  const repo = text("repo");
  const ref = text("ref");
  if (!id) throw new RosterError(`${where}: no id`);
  if (!path === !repo) {
    throw new RosterError(`${where} (${id}): give either a path or a repo, not ${path ? "both" : "neither"}`);
  }
  return {
    id,
    ...(path ? { path: isAbsolute(path) ? path : resolve(base, path) } : {}),
    ...(repo ? { repo } : {}),
    ...(ref ? { ref } : {}),
  };
}

function fromCsv(text: string, base: string, name: string): Learner[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new RosterError(`--roster ${name}: not a valid CSV file: ${(error as Error).message}`);
  }
  if (records.length === 0) {
    throw new RosterError(`--roster ${name}: no learners (a header row "id,path" and one row per learner)`);
  }
  const columns = Object.keys(records[0]);
  if (!columns.includes("id") || !(columns.includes("path") || columns.includes("repo"))) {
    throw new RosterError(
      `--roster ${name}: the header must name "id" and "path" or "repo" (it names ${columns.join(", ")})`,
    );
  }
  return records.map((record, i) => entryOf(record, base, `--roster ${name}, row ${i + 2}`));
}

function fromJson(text: string, base: string, name: string): Learner[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RosterError(`--roster ${name}: not valid JSON: ${(error as Error).message}`);
  }
  const records = Array.isArray(data)
    ? data
    : typeof data === "object" && data !== null
    ? Object.entries(data).map(([id, path]) => ({ id, path }))
    : undefined;
  if (!records || records.length === 0) {
    throw new RosterError(
      `--roster ${name}: expected a list of {"id", "path" or "repo"} or an object id → folder`,
    );
  }
  return records.map((record, i) => {
    if (typeof record !== "object" || record === null) {
      throw new RosterError(`--roster ${name}, entry ${i + 1}: not an object`);
    }
    return entryOf(record as Record<string, unknown>, base, `--roster ${name}, entry ${i + 1}`);
  });
}

function check(learners: Learner[], name: string): void {
  const invalid = learners.filter((l) => !validLearnerId(l.id)).map((l) => JSON.stringify(l.id));
  if (invalid.length) {
    throw new RosterError(
      `--roster ${name}: invalid learner id(s) ${invalid.slice(0, 10).join(", ")}${
        invalid.length > 10 ? ", …" : ""
      }: ` +
        "use letters, digits and . _ @ + -, starting with a letter or digit (at most 128 characters)",
    );
  }
  const seen = new Map<string, string>();
  for (const { id } of learners) {
    const key = id.toLowerCase();
    if (seen.has(key)) {
      throw new RosterError(
        `--roster ${name}: the id "${id}" is there twice (as "${
          seen.get(key)
        }" and "${id}"; case does not count)`,
      );
    }
    seen.set(key, id);
  }
}

/**
 * Parses `--shard i/n`.
 *
 * @example Usage
 * ```ts
 * import { parseShard } from "./roster.ts";
 * console.log(parseShard("2/3")); // { index: 2, count: 3 }
 * ```
 * @param text `i/n` with 1 ≤ i ≤ n.
 * @returns The shard.
 * @throws {RosterError} When it is not of that form.
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || count > 10000) {
    throw new RosterError(`--shard needs i/n with 1 ≤ i ≤ n (e.g. 2/3), got "${text}"`);
  }
  return { index, count };
}

/**
 * The learners of one shard: in id order, every `count`-th from the `index`-th, so the shards are
 * disjoint, cover the roster, differ in size by at most one, and do not depend on the machine.
 *
 * @example Usage
 * ```ts
 * import { shardOf } from "./roster.ts";
 * const learners = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
 * console.log(shardOf(learners, { index: 2, count: 2 }).map((l) => l.id)); // ["b", "d"]
 * ```
 * @param learners The roster.
 * @param shard The share.
 * @returns Its learners.
 */
export function shardOf<T extends Pick<Learner, "id">>(learners: T[], shard: Shard): T[] {
  const sorted = learners.toSorted((a, b) => compareIds(a.id, b.id));
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * A digest of the roster's ids, to tell whether shard outputs come from the same roster.
 *
 * @example Usage
 * ```ts
 * import { rosterDigest } from "./roster.ts";
 * console.log((await rosterDigest([{ id: "b" }, { id: "a" }])) === (await rosterDigest([{ id: "a" }, { id: "b" }]))); // true
 * ```
 * @param learners The roster.
 * @returns A hex digest.
 */
export async function rosterDigest(learners: Pick<Learner, "id">[]): Promise<string> {
  const ids = learners.map((l) => l.id).sort(compareIds).join("\n");
  return await sha256(ids);
}

/**
 * The SHA-256 of a text, in hex (first 32 digits).
 *
 * @example Usage
 * ```ts
 * import { sha256 } from "./roster.ts";
 * console.log((await sha256("")).length); // 32
 * ```
 * @param text The text.
 * @returns The digest.
 */
export async function sha256(text: string | Uint8Array): Promise<string> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
