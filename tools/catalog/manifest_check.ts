/**
 * Cross-checks a kata's manifest against the rest of the kata, for `deno task verify`: the README's step
 * list, the stub's `notImplemented(name, step)` calls, the steps of the tests (from the census), the files
 * of `katas/` and `solutions/`, and the README numbers marked as coming from `calibration.json`. Each
 * problem is one sentence naming the file and the fix.
 *
 * @example Usage
 * ```ts
 * import { readmeSteps } from "./manifest_check.ts";
 * const readme = "## Steps\n\n1. **Scale.** Divide.\n2. **Train** the model.\n\n## How to run\n";
 * console.log(readmeSteps(readme)); // ["Scale", "Train"]
 * ```
 * @module
 */
import { join } from "node:path";
import type { Kata } from "./katas.ts";
import { readCalibration } from "./calibration.ts";
import { stepOf, type TestCase } from "./census.ts";
import { markedNumbers, renderMeasuredNumbers } from "./readme_numbers.ts";
import { isFile } from "@lib/core/fs.ts";

/**
 * The titles of a README's step list: the numbered items of its `## Steps` section, each starting with
 * its title in bold (a trailing `.` or `:` inside the bold is not part of the title).
 *
 * @example Usage
 * ```ts
 * import { readmeSteps } from "./manifest_check.ts";
 * console.log(readmeSteps("## Steps\n1. **Count the classes.** …\n")); // ["Count the classes"]
 * ```
 * @param readme The README's text.
 * @returns The titles in order (items without a bold title give "").
 */
export function readmeSteps(readme: string): string[] {
  const section = /^## Steps\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? "";
  return [...section.matchAll(/^(\d+)\. (?:\*\*(.+?)\*\*)?/gm)].map((m) => (m[2] ?? "").replace(/[.:]$/, ""));
}

/**
 * The `notImplemented(name, step)` calls of a module's text.
 *
 * @example Usage
 * ```ts
 * import { stubCalls } from "./manifest_check.ts";
 * console.log(stubCalls('return notImplemented("scalePixels", 1);')); // [{ name: "scalePixels", step: 1 }]
 * ```
 * @param text A stub module.
 * @returns The calls, in order.
 */
export function stubCalls(text: string): { name: string; step: number }[] {
  return [...text.matchAll(/notImplemented\(\s*["'`]([^"'`]+)["'`]\s*,\s*(\d+)\s*,?\s*\)/g)]
    .map((m) => ({ name: m[1], step: Number(m[2]) }));
}

/** What {@linkcode manifestCrossCheck} reads besides the manifest. */
export interface KataTexts {
  /** The README. */
  readme: string;
  /** Each learner module's stub text, by file name. */
  stubs: Record<string, string>;
  /** The census (tests with their files and steps). */
  census: TestCase[];
}

/**
 * Checks the manifest against the README's steps, the stub's calls and the tests' steps.
 *
 * @example Usage
 * ```ts ignore
 * import { manifestCrossCheck } from "./manifest_check.ts";
 * const problems = manifestCrossCheck(kata, { readme, stubs, census });
 * ```
 * @param kata The kata.
 * @param texts Its README, stubs and census.
 * @returns One sentence per problem.
 */
export function manifestCrossCheck(kata: Kata, texts: KataTexts): string[] {
  const problems: string[] = [];
  const steps = kata.meta.steps;
  const where = `katas/${kata.slug}`;
  const titles = readmeSteps(texts.readme);
  if (titles.length !== steps.length) {
    problems.push(
      `${where}/README.md lists ${titles.length} steps under "## Steps", kata.json ${steps.length}; ` +
        `make the numbered list match kata.json's steps`,
    );
  }
  steps.forEach((step, i) => {
    if (titles[i] !== undefined && titles[i] !== step.title) {
      problems.push(
        `${where}/README.md step ${i + 1} is titled "${titles[i]}", kata.json "${step.title}"; ` +
          `start the item with **${step.title}**`,
      );
    }
  });
  const called = new Set<string>();
  for (const [file, text] of Object.entries(texts.stubs)) {
    for (const call of stubCalls(text)) {
      called.add(call.name);
      const first = steps.findIndex((s) => s.functions.includes(call.name)) + 1;
      if (call.step < 1 || call.step > steps.length) {
        problems.push(
          `${where}/${file}: notImplemented("${call.name}", ${call.step}) sends the learner to step ${call.step}, ` +
            `which the kata does not have (steps 1–${steps.length})`,
        );
      } else if (first === 0) {
        problems.push(
          `${where}/${file}: "${call.name}" is in no step's functions in kata.json; add it to step ${call.step}`,
        );
      } else if (first !== call.step) {
        problems.push(
          `${where}/${file}: notImplemented("${call.name}", ${call.step}) names step ${call.step}, but kata.json ` +
            `lists "${call.name}" first in step ${first}`,
        );
      }
    }
  }
  steps.forEach((step, i) => {
    for (const name of step.functions.filter((f) => !called.has(f))) {
      problems.push(
        `kata.json step ${i + 1} lists "${name}", but no learner module calls notImplemented("${name}", …)`,
      );
    }
  });
  const prefix = new RegExp(`^kata ${kata.id}, step \\d+: `);
  for (const test of texts.census) {
    const step = stepOf(test.name);
    const file = test.file.split("/").pop()!;
    if (!prefix.test(test.name) || step === undefined) {
      problems.push(
        `${where}/${file}: "${test.name}" belongs to no step; name its group "kata ${kata.id}, step N: …"`,
      );
    } else if (step > steps.length) {
      problems.push(
        `${where}/${file}: "${test.name}" names step ${step}; the kata has steps 1–${steps.length}`,
      );
    } else if (!steps[step - 1].tests.includes(file)) {
      problems.push(
        `kata.json step ${step} does not list ${file}, which holds its test "${test.name}"; add it`,
      );
    }
  }
  steps.forEach((step, i) => {
    for (const file of step.tests) {
      if (!texts.census.some((t) => t.step === i + 1 && t.file.endsWith(`/${file}`))) {
        problems.push(`kata.json step ${i + 1} lists ${file}, which has no test of step ${i + 1}; remove it`);
      }
    }
  });
  return problems;
}

/**
 * The `.ts` files of a folder that the manifest does not name (reset backups `*.bak.ts` aside).
 *
 * @example Usage
 * ```ts ignore
 * import { unlistedModules } from "./manifest_check.ts";
 * console.log(await unlistedModules("katas/06-batchnorm-regression", ["a.ts"]));
 * ```
 * @param dir The folder.
 * @param listed The names the manifest gives it.
 * @returns The unlisted names.
 */
export async function unlistedModules(dir: string, listed: string[]): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (
      entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith(".bak.ts") &&
      !listed.includes(entry.name)
    ) {
      found.push(entry.name);
    }
  }
  return found.sort();
}

/**
 * Every cross-check of a kata on disk: {@linkcode manifestCrossCheck}, the files of `katas/` and
 * `solutions/` against the manifest, and the README's calibrated numbers against `calibration.json`.
 *
 * @example Usage
 * ```ts ignore
 * import { checkKata } from "./manifest_check.ts";
 * console.log(await checkKata(kata, ROOT, census));
 * ```
 * @param kata The kata.
 * @param root The repository root.
 * @param census The kata's census.
 * @returns One sentence per problem.
 */
export async function checkKata(kata: Kata, root: string, census: TestCase[]): Promise<string[]> {
  const readme = await Deno.readTextFile(join(kata.dir, "README.md"));
  const stubs = Object.fromEntries(
    await Promise.all(
      kata.modules.map(async (m) => [m, await Deno.readTextFile(join(kata.dir, m))] as const),
    ),
  );
  const problems = manifestCrossCheck(kata, { readme, stubs, census });
  const { learner, support = [], tests } = kata.meta.files;
  for (const name of await unlistedModules(kata.dir, [...learner, ...support, ...tests])) {
    problems.push(
      `katas/${kata.slug}/${name} is not in kata.json's files; list it (learner, support or tests) or remove it`,
    );
  }
  const solved = join(root, "solutions", kata.slug);
  for (const name of learner) {
    if (!await isFile(join(solved, name))) {
      problems.push(`solutions/${kata.slug}/${name} is missing: every learner module needs its reference`);
    }
  }
  const calibration = await readCalibration(kata.dir);
  if (calibration) {
    const { changed, problems: unfilled } = renderMeasuredNumbers(readme, calibration);
    for (const line of changed) {
      problems.push(
        `katas/${kata.slug}/README.md is stale: ${line}; run \`deno task calibrate ${kata.id} --write\``,
      );
    }
    problems.push(...unfilled.map((line) => `katas/${kata.slug}/README.md: ${line}`));
  } else {
    const marked = markedNumbers(readme).length ? " (its README marks calibrated numbers)" : "";
    problems.push(
      `katas/${kata.slug} has no calibration.json${marked}; run \`deno task calibrate ${kata.id} --write\``,
    );
  }
  return problems;
}
