/**
 * `deno task start`: the learner's home screen. One table of every kata (number, title,
 * status, points), then the first unfinished kata with its first failing test and the
 * command for its next hint. Non-interactive; exits 0.
 *
 * @module
 */
import { join, relative } from "node:path";
import { initBackend, requestedBackend } from "@lib/backend.ts";
import { cli, type Kata, listKatas, ROOT } from "./katas.ts";
import { pristineStub } from "./pristine.ts";
import { fingerprint, loadProgress, type RecordedResult } from "./progress.ts";
import { runAndRecord } from "./record.ts";

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

async function statusOf(
  kata: Kata,
  recorded: RecordedResult | undefined,
): Promise<RecordedResult | "not started"> {
  if (recorded && recorded.fingerprint === await fingerprint(kata)) return recorded;
  if (await untouched(kata)) return "not started";
  return await runAndRecord(kata, { quiet: true });
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
  console.log("| # | kata | status | points |\n|---|---|---|---|");
  let next: { kata: Kata; result?: RecordedResult } | undefined;
  let earned = 0;
  let possible = 0;
  for (const kata of katas) {
    const status = await statusOf(kata, progress.results[kata.id]);
    const points = status === "not started" || status.total === 0
      ? 0
      : Math.round((kata.meta.points * status.passed) / status.total * 10) / 10;
    const label = status === "not started"
      ? "not started"
      : status.total > 0 && status.passed === status.total
      ? "passed"
      : `failing (${status.passed}/${status.total})`;
    earned += points;
    possible += kata.meta.points;
    console.log(`| ${kata.id} | ${kata.meta.title} | ${label} | ${points}/${kata.meta.points} |`);
    if (!next && label !== "passed") next = { kata, result: status === "not started" ? undefined : status };
  }
  console.log(`\nTotal: ${earned}/${possible} points.`);
  if (!next) {
    console.log("Every kata passes. Well done!");
    return 0;
  }
  const result = next.result ?? await runAndRecord(next.kata, { quiet: true });
  console.log(`\nNext: ${next.kata.id} ${next.kata.meta.title} — ${next.kata.meta.question}`);
  console.log(
    `Read katas/${next.kata.slug}/README.md, edit ${
      next.kata.modules.map((m) => `katas/${next!.kata.slug}/${m}`).join(", ")
    }.`,
  );
  if (result.firstFailure) {
    console.log(
      `\nFirst failing test: ${result.firstFailure.name}\n  ${
        result.firstFailure.message.split("\n").join("\n  ")
      }`,
    );
  }
  console.log(`\nRun it:   deno task kata ${next.kata.id}\nA hint:   deno task hint ${next.kata.id}`);
  return 0;
});
