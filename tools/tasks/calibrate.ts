/**
 * `deno task calibrate NAME… [--seeds 1-20] [--write] [--target DIR]`: runs a kata's tests against the
 * reference solutions once per seed with `KATA_MEASURE=1` and prints, for every statistic the tests report
 * through `measured()`, its range over the seeds — the numbers that go in the comment beside each
 * statistical assertion. With `--write` it also measures the default seed (42) and writes
 * `katas/NN-slug/calibration.json`, then rewrites the numbers the kata's README marks
 * (`<!-- measured "label" range -->…<!-- /measured -->`) from it.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SEED } from "@lib/core/random.ts";
import { cli, ROOT, selectKatas, UsageError } from "../catalog/katas.ts";
import {
  type Calibration,
  formatNumber,
  formatSeeds,
  referenceRange,
  writeCalibration,
} from "../catalog/calibration.ts";
import { formatFiles, renderMeasuredNumbers } from "../catalog/readme_numbers.ts";
import { runKata } from "../runner/run_kata.ts";
import { markdownTable } from "@lib/console/markdown_table.ts";

const USAGE = "usage: deno task calibrate NAME… [--seeds 1-20] [--write] [--target DIR]";

/**
 * Parses a seed list: `1-20`, `1,5,9`, `1-3,7`.
 *
 * @example Usage
 * ```ts ignore
 * parseSeeds("1-3,7"); // [1, 2, 3, 7]
 * ```
 */
function parseSeeds(spec: string): number[] {
  const seeds = spec.split(",").flatMap((part) => {
    const [from, to] = part.split("-").map(Number);
    if (!Number.isInteger(from) || (to !== undefined && (!Number.isInteger(to) || to < from))) {
      throw new UsageError(
        `--seeds "${spec}": use a list or ranges of integers, e.g. 1-20 or 1,5,9\n${USAGE}`,
      );
    }
    return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
  return [...new Set(seeds)].sort((a, b) => a - b);
}

await cli(async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      seeds: { type: "string", default: "1-20" },
      target: { type: "string", default: `${ROOT}/solutions` },
      write: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError(USAGE);
  const seeds = parseSeeds(values.seeds);
  let failed = false;
  for (const kata of await selectKatas(positionals)) {
    const perSeed = new Map<number, Map<string, number>>();
    const failures: string[] = [];
    const runSeeds = values.write && !seeds.includes(DEFAULT_SEED) ? [...seeds, DEFAULT_SEED] : seeds;
    for (const seed of runSeeds) {
      const result = await runKata(kata, {
        target: values.target,
        env: { KATA_SEED: String(seed), KATA_MEASURE: "1" },
      });
      perSeed.set(seed, new Map(result.measures.map((m) => [m.label, m.value])));
      const failed = result.cases.filter((c) => c.status === "fail");
      failures.push(...failed.map((c) => `seed ${seed}: ${c.name}: ${(c.message ?? "").split("\n")[0]}`));
      console.error(`${kata.slug} seed ${seed}: ${failed.length === 0 ? "pass" : `${failed.length} FAILED`}`);
    }
    const labels = [...new Set([...perSeed.values()].flatMap((m) => [...m.keys()]))];
    const calibration: Calibration = {
      kata: kata.slug,
      backend: Deno.env.get("KATA_BACKEND") ?? "wasm",
      seeds,
      measures: Object.fromEntries(labels.map((l) => [l, seeds.map((s) => perSeed.get(s)?.get(l) ?? null)])),
      defaultSeed: {
        seed: DEFAULT_SEED,
        measures: Object.fromEntries(labels.flatMap((l) => {
          const v = perSeed.get(DEFAULT_SEED)?.get(l);
          return v === undefined ? [] : [[l, v]];
        })),
      },
    };
    console.log(`\n${kata.slug}, seeds ${formatSeeds(seeds)}, backend ${calibration.backend}`);
    const f = formatNumber;
    const rows = labels.flatMap((label) => {
      const r = referenceRange(calibration, label);
      return r ? [[label, f(r.min), f(r.max), f(r.mean), f(r.max - r.min), r.n]] : [];
    });
    console.log(markdownTable(["measure", "min", "max", "mean", "spread", "n"], rows));
    if (failures.length) {
      failed = true;
      console.log(`\nfailures:\n${failures.join("\n")}`);
    }
    if (values.write) {
      if (failures.length) {
        console.log(`\nnot written: the reference failed tests above; fix them first`);
        continue;
      }
      await writeCalibration(kata.dir, calibration);
      const readme = join(kata.dir, "README.md");
      const rendered = renderMeasuredNumbers(await Deno.readTextFile(readme), calibration);
      await Deno.writeTextFile(readme, rendered.text);
      await formatFiles([readme], ROOT);
      console.log(`\nwrote katas/${kata.slug}/calibration.json`);
      for (const line of rendered.changed) console.log(`README: ${line}`);
      for (const line of rendered.problems) console.log(`README: ${line}`);
    }
  }
  return failed ? 1 : 0;
});
