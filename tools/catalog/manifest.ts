/**
 * A kata's manifest, `katas/NN-slug/kata.json`: the one source of truth every tool reads about a kata —
 * its title and question, its points, which files are the learner's, which are test support and which are
 * tests, and its steps (title, the learner functions each covers, its test files, its hints). Checked
 * against `kata.schema.json` (beside this module) and against the files on disk whenever a tool reads it;
 * a broken manifest is a {@linkcode ManifestError} that names the file, the field and the fix.
 *
 * @example Usage
 * ```ts
 * import { loadManifest } from "./manifest.ts";
 * const manifest = await loadManifest("katas/06-batchnorm-regression");
 * console.log(manifest.steps[0].title); // "A min-max scaler for labels"
 * ```
 * @module
 */
import { join } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import schema from "./kata.schema.json" with { type: "json" };
import { isFile } from "@lib/core/fs.ts";

/** One step of a kata: step N is `steps[N - 1]`. */
export interface Step {
  /** As the README's step list names it, in bold. */
  title: string;
  /** The learner functions it covers, as the stub's `notImplemented(name, step)` calls name them. */
  functions: string[];
  /** The test files holding its tests (top-level `describe("kata NN, step N: …")`). */
  tests: string[];
  /** Progressive hints, from a question to nearly the answer. */
  hints: string[];
  /** A challenge step: the problem, a target and a budget, no recipe; its tests measure only the outcome. */
  challenge?: boolean;
}

/** What `kata.json` holds. */
export interface Manifest {
  /** Human title. */
  title: string;
  /** The practitioner question the kata answers. */
  question: string;
  /** The question in one short line, for the repository README's kata table. */
  headline: string;
  /** Concepts taught. */
  concepts: string[];
  /** How hard it is. */
  difficulty: "beginner" | "intermediate" | "advanced";
  /** Points for passing every test. */
  points: number;
  /** Per-test weights (full test name or the test's own name → weight; default 1). */
  weights?: Record<string, number>;
  /** The kata's files by role. */
  files: {
    /** The modules the learner edits; `solutions/NN-slug/` has each under the same name. */
    learner: string[];
    /** Test support beside the tests; never edited, never remapped to a submission. */
    support?: string[];
    /** The test files. */
    tests: string[];
  };
  /** The steps, in README order. */
  steps: Step[];
}

/** A manifest that does not match the schema or the kata's files; the message names the file, field and fix. */
export class ManifestError extends Error {
  /**
   * @param file The manifest's path, as the user should read it.
   * @param problems One line per problem: the field, what is wrong, how to fix it.
   */
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file} is not a valid kata manifest:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ManifestError";
  }
}

const validate = new Ajv({ allErrors: true }).compile(schema);

/** `/steps/2/tests/0` → `steps[2].tests[0] (step 3)`. */
function fieldName(pointer: string): string {
  const parts = pointer.split("/").slice(1);
  const name = parts.map((p, i) => /^\d+$/.test(p) ? `[${p}]` : `${i ? "." : ""}${p}`).join("");
  const step = /^\/steps\/(\d+)/.exec(pointer);
  return (name || "the manifest") + (step ? ` (step ${Number(step[1]) + 1})` : "");
}

/** One schema error, in words with a fix. */
function describeSchemaError(error: ErrorObject): string {
  const field = fieldName(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${field}: missing field "${params.missingProperty}"; add it (README, "Adding a kata", lists every field)`;
    case "additionalProperties":
      return `${field}: unknown field "${params.additionalProperty}"; remove it or correct its spelling`;
    case "enum":
      return `${field}: must be one of ${
        (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")
      }`;
    case "pattern":
    case "not":
      return error.instancePath.includes("/tests")
        ? `${field}: a test file is named like "name_test.ts" (lower case, digits, underscores)`
        : error.instancePath.includes("/functions")
        ? `${field}: name a function ("rSquared"), a method ("MinMaxScaler.fit") or a constructor ("LazyAdam constructor")`
        : `${field}: a module is named like "name.ts" (lower case, digits, underscores) and is not a test`;
    case "minItems":
      return `${field}: list at least ${params.limit} item(s)`;
    case "uniqueItems":
      return `${field}: lists the same name twice (items ${params.j} and ${params.i}); remove one`;
    default:
      return `${field}: ${error.message}`;
  }
}

/**
 * Checks a parsed manifest against the schema and its own consistency (roles do not overlap, every step's
 * test files are listed in `files.tests`, every test file belongs to a step). Does not look at the disk.
 *
 * @example Usage
 * ```ts
 * import { manifestProblems } from "./manifest.ts";
 * console.log(manifestProblems({ title: "x" })[0]); // 'the manifest: missing field "question"; add it …'
 * ```
 * @param value The parsed JSON.
 * @returns One line per problem; empty when the manifest is valid.
 */
export function manifestProblems(value: unknown): string[] {
  if (!validate(value)) return (validate.errors ?? []).map(describeSchemaError);
  const manifest = value as unknown as Manifest;
  const problems: string[] = [];
  const { learner, support = [], tests } = manifest.files;
  for (const name of learner.filter((n) => support.includes(n))) {
    problems.push(`files: "${name}" is listed as both learner and support; a module has one role`);
  }
  manifest.steps.forEach((step, i) => {
    for (const file of step.tests.filter((f) => !tests.includes(f))) {
      problems.push(`steps[${i}].tests (step ${i + 1}): "${file}" is not in files.tests; add it there`);
    }
  });
  for (const file of tests.filter((f) => !manifest.steps.some((s) => s.tests.includes(f)))) {
    problems.push(`files.tests: "${file}" belongs to no step; list it in the tests of the steps it checks`);
  }
  return problems;
}

/**
 * Reads, validates and returns `dir/kata.json`, and checks that every file it names exists in `dir`.
 *
 * @example Usage
 * ```ts
 * import { loadManifest } from "./manifest.ts";
 * const { files } = await loadManifest("katas/01-input-scaling");
 * console.log(files.learner); // ["input_scaling.ts"]
 * ```
 * @param dir The kata's folder.
 * @param shownAs How to name the manifest in errors (default `dir/kata.json`).
 * @returns The manifest.
 * @throws {ManifestError} When it is missing, not JSON, invalid, or names a file that does not exist.
 */
export async function loadManifest(dir: string, shownAs = join(dir, "kata.json")): Promise<Manifest> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, "kata.json"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ManifestError(shownAs, [
        'the file is missing; every kata folder needs one (README, "Adding a kata")',
      ]);
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(shownAs, [`not valid JSON: ${(error as Error).message}`]);
  }
  const problems = manifestProblems(value);
  if (problems.length) throw new ManifestError(shownAs, problems);
  const manifest = value as Manifest;
  const { learner, support = [], tests } = manifest.files;
  for (const [role, names] of [["learner", learner], ["support", support], ["tests", tests]] as const) {
    for (const name of names) {
      if (!await isFile(join(dir, name))) {
        problems.push(
          `files.${role}: "${name}" does not exist in the kata's folder; create it or remove the entry`,
        );
      }
    }
  }
  if (problems.length) throw new ManifestError(shownAs, problems);
  return manifest;
}
