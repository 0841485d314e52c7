/**
 * `deno task start`: the learner's home screen. One table of every kata (number, title, status, steps
 * done, points), then the first unfinished kata with its first unfinished step, its first failing test and
 * the commands for it. Non-interactive; exits 0.
 *
 * A kata whose learner files are as published is "not started" whatever an earlier run recorded; a kata
 * whose last run could not compile or load says so.
 *
 * @module
 */
import { join, relative } from "node:path";
import { initBackend, requestedBackend } from "@lib/backend/init.ts";
import { cli, type Kata, listKatas, ROOT } from "../catalog/katas.ts";
import { kataCensus } from "../catalog/census.ts";
import { kataPoints, roundPoints } from "../catalog/points.ts";
import { pristineStub } from "../catalog/pristine.ts";
import { kataStatus, statusLabel } from "../runner/home.ts";
import {
  currentStep,
  fingerprint,
  loadProgress,
  type RecordedResult,
  recordProblems,
  stepsDone,
} from "../runner/learner_progress.ts";
import { runAndRecord } from "../runner/record.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";

const probe = {
  untouched,
  fingerprint,
  run: async (kata: Kata) => {
    console.error(`running kata ${kata.id}'s tests: your files changed since its last run…`);
    return (await runAndRecord(kata, {})).record;
  },
};

/** Whether every learner file of the kata is as published (no git history: not known, so false). */
async function untouched(kata: Kata): Promise<boolean> {
  try {
    for (const module of kata.modules) {
      const path = join(kata.dir, module);
      if (await Deno.readTextFile(path) !== await pristineStub(relative(ROOT, path))) return false;
    }
    return true;
  } catch {
    return false; // no git history: judge by running the tests
  }
}

await cli(async () => {
  const katas = await listKatas();
  const progress = await loadProgress();
  const backend = await initBackend();
  console.log(
    `ml-katas — ${katas.length} katas. tfjs backend: ${backend}${
      requestedBackend() ? " (KATA_BACKEND)" : ""
    }\n`,
  );
  const rows: string[][] = [];
  // Next: the first kata in progress (failing or in error); without one, the first not started.
  let inProgress: { kata: Kata; record?: RecordedResult } | undefined;
  let notStarted: { kata: Kata; record?: RecordedResult } | undefined;
  let earned = 0;
  let possible = 0;
  for (const kata of katas) {
    const status = await kataStatus(kata, progress.results[kata.id], probe);
    const steps = kata.meta.steps.length;
    const record = status === "not started" ? undefined : status;
    const done = record ? stepsDone(record) : 0;
    const names = (await kataCensus(kata)).map((c) => c.name);
    const points = kataPoints(kata, names, new Set(record?.passedTests ?? []));
    const label = statusLabel(status);
    earned += points.earned;
    possible += points.max;
    rows.push([
      kata.id,
      kata.meta.title,
      label,
      `${done}/${steps}`,
      `${roundPoints(points.earned)}/${points.max}`,
    ]);
    if (label === "not started") notStarted ??= { kata };
    else if (label !== "passed") inProgress ??= { kata, record };
  }
  console.log(markdownTable(["#", "kata", "status", "steps done", "points"], rows));
  console.log(`\nTotal: ${roundPoints(earned)}/${possible} points.`);
  const next = inProgress ?? notStarted;
  if (!next) {
    console.log("Every kata passes. Well done!");
    return 0;
  }
  const { kata, record } = next;
  const step = currentStep(record, kata.meta.steps.length) ?? 1;
  console.log(`\nNext: ${kata.id} ${kata.meta.title} — ${kata.meta.question}`);
  console.log(
    `Read katas/${kata.slug}/README.md, step ${step}: ${kata.meta.steps[step - 1].title}. ` +
      `Edit ${kata.modules.map((m) => `katas/${kata.slug}/${m}`).join(", ")}.`,
  );
  const { firstFailure } = record ? recordProblems(record) : {};
  if (firstFailure) console.log(`\nFirst failing test: ${firstFailure.name}\n  ${firstFailure.message}`);
  const { error } = record ? recordProblems(record) : {};
  if (error) console.log(`\nThe kata ${error}: \`deno task kata ${kata.id}\` shows where.`);
  console.log(
    `\nRun it:   deno task kata ${kata.id} --step ${step}   (all steps: deno task kata ${kata.id})\n` +
      `A hint:   deno task hint ${kata.id}`,
  );
  return 0;
});
