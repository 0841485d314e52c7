/**
 * Checks the GitHub Actions workflows (`.github/workflows/*.yml`) against GitHub's workflow schema with
 * action-validator (`@action-validator/core`, pinned in `deno.json`; its schema is compiled into its
 * WebAssembly, so it needs no network). `deno task test` runs it as a step of its own.
 *
 * @example Usage
 * ```ts
 * import { validateWorkflowText } from "./workflows.ts";
 * const errors = validateWorkflowText("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n");
 * console.log(errors); // []
 * ```
 * @module
 */
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { ROOT } from "../catalog/katas.ts";

/** One problem action-validator found. */
interface ValidationError {
  /** The JSON pointer of the offending part. */
  path?: string;
  /** What is wrong. */
  title?: string;
  /** More detail. */
  detail?: string;
  /** Nested alternatives (a `oneOf` that failed). */
  states?: { errors: ValidationError[] }[];
}

function describe(error: ValidationError): string {
  const nested = error.states?.flatMap((s) => s.errors.map(describe)) ?? [];
  const own = `${error.path ?? "/"}: ${error.detail ?? error.title ?? "invalid"}`;
  return nested.length ? `${own} (${[...new Set(nested)].join("; or ")})` : own;
}

/**
 * The problems of one workflow's YAML text, one line each; none when it is valid.
 *
 * @example Usage
 * ```ts
 * import { validateWorkflowText } from "./workflows.ts";
 * console.log(validateWorkflowText("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n").length > 0); // true
 * ```
 * @param yaml The workflow.
 * @returns The problems.
 */
export function validateWorkflowText(yaml: string): string[] {
  const result = validateWorkflow(yaml) as { errors: ValidationError[] };
  return result.errors.map(describe);
}

/**
 * Validates every workflow of the repository.
 *
 * @example Usage
 * ```ts ignore
 * import { lintWorkflows } from "./workflows.ts";
 * for (const { file, problems } of await lintWorkflows()) console.log(file, problems);
 * ```
 * @param root The repository root.
 * @returns Each workflow file (relative path) with its problems.
 */
export async function lintWorkflows(root: string = ROOT): Promise<{ file: string; problems: string[] }[]> {
  const dir = join(root, ".github", "workflows");
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && /\.ya?ml$/.test(entry.name)) files.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const checked = [];
  for (const name of files.sort()) {
    const problems = validateWorkflowText(await Deno.readTextFile(join(dir, name)));
    checked.push({ file: `.github/workflows/${name}`, problems });
  }
  return checked;
}
