/**
 * `deno task hint NAME [--step N] [--all]`: the next hint of the kata's first unfinished step (by the last
 * recorded run), or of step N; hints climb from a question to nearly the answer, and the ones shown are
 * remembered per step in the progress file. `--all` prints every hint of the step (of every step without
 * `--step`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cli, listKatas, resolveKata, UsageError } from "../catalog/katas.ts";
import { currentStep, loadProgress, saveProgress } from "../runner/learner_progress.ts";

const USAGE = "usage: deno task hint NAME [--step N] [--all]";

await cli(async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { all: { type: "boolean", default: false }, step: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const kata = resolveKata(positionals[0], await listKatas());
  const steps = kata.meta.steps;
  const progress = await loadProgress();
  const asked = values.step === undefined ? undefined : Number(values.step);
  if (asked !== undefined && (!Number.isInteger(asked) || asked < 1 || asked > steps.length)) {
    throw new UsageError(`--step "${values.step}": kata ${kata.id} has steps 1 to ${steps.length}\n${USAGE}`);
  }
  if (values.all) {
    for (const [i, step] of steps.entries()) {
      if (asked !== undefined && asked !== i + 1) continue;
      console.log(`Step ${i + 1}: ${step.title}`);
      step.hints.forEach((hint, h) => console.log(`  Hint ${h + 1}/${step.hints.length}: ${hint}\n`));
    }
    return 0;
  }
  const step = asked ?? currentStep(progress.results[kata.id], steps.length);
  if (step === undefined) {
    console.log(`Every step of ${kata.slug} passes. \`deno task hint ${kata.id} --all\` shows all hints.`);
    return 0;
  }
  const hints = steps[step - 1].hints;
  const shownBefore = progress.hints[kata.id]?.[String(step)] ?? 0;
  const index = Math.min(shownBefore, hints.length - 1);
  console.log(
    `Step ${step}: ${steps[step - 1].title} — hint ${index + 1}/${hints.length}\n  ${hints[index]}\n`,
  );
  if (shownBefore >= hints.length) {
    console.log(`That was the last hint of step ${step}; the reference is in solutions/${kata.slug}/.`);
  } else if (index + 1 < hints.length) {
    console.log(`Run \`deno task hint ${kata.id}\` again for the next one.`);
  }
  progress.hints[kata.id] = { ...progress.hints[kata.id], [String(step)]: Math.max(shownBefore, index + 1) };
  await saveProgress(progress);
  return 0;
});
