/**
 * The learner's progress file, `.kata-progress.json` at the repository root (git-ignored):
 * how many hints each kata has shown, and the last test result per kata together with a
 * fingerprint of the learner's files, so `start` re-runs only what changed.
 *
 * @example Usage
 * ```ts ignore
 * import { loadProgress, saveProgress } from "./progress.ts";
 * const progress = await loadProgress();
 * progress.hints["01"] = 1;
 * await saveProgress(progress);
 * ```
 * @module
 */
import { join } from "node:path";
import { type Kata, ROOT } from "./katas.ts";

/** A kata's last recorded test result. */
export interface RecordedResult {
  /** Fingerprint of the learner's files when it ran. */
  fingerprint: string;
  /** Tests passed. */
  passed: number;
  /** Tests in total. */
  total: number;
  /** The first failing test's name and message, if any. */
  firstFailure?: { name: string; message: string };
}

/** Everything the progress file holds. */
export interface Progress {
  /** Hints shown so far, by kata id. */
  hints: Record<string, number>;
  /** Last test result, by kata id. */
  results: Record<string, RecordedResult>;
}

/** Path of the progress file. */
export const PROGRESS_FILE: string = join(ROOT, ".kata-progress.json");

/**
 * Reads the progress file (empty progress when it does not exist).
 *
 * @example Usage
 * ```ts ignore
 * import { loadProgress } from "./progress.ts";
 * console.log((await loadProgress()).hints);
 * ```
 * @param path The file.
 * @returns The progress.
 */
export async function loadProgress(path: string = PROGRESS_FILE): Promise<Progress> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path));
    return { hints: parsed.hints ?? {}, results: parsed.results ?? {} };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { hints: {}, results: {} };
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); delete it to start afresh`);
  }
}

/**
 * Writes the progress file.
 *
 * @example Usage
 * ```ts ignore
 * import { saveProgress } from "./progress.ts";
 * await saveProgress({ hints: {}, results: {} });
 * ```
 * @param progress The progress.
 * @param path The file.
 */
export async function saveProgress(progress: Progress, path: string = PROGRESS_FILE): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(progress, null, 2) + "\n");
}

/**
 * A SHA-256 fingerprint of a kata's learner modules as they are on disk now.
 *
 * @example Usage
 * ```ts ignore
 * import { fingerprint } from "./progress.ts";
 * console.log(await fingerprint(kata));
 * ```
 * @param kata The kata.
 * @returns Hex digest.
 */
export async function fingerprint(kata: Kata): Promise<string> {
  const parts = await Promise.all(kata.modules.map((m) => Deno.readTextFile(join(kata.dir, m))));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
