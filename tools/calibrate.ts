/**
 * `deno task calibrate NAME [--seeds 1-10] [--target DIR]`: runs a kata's tests against
 * the reference solutions once per seed with `KATA_MEASURE=1`, and prints, for every
 * statistic the tests report through `measured()`, its range over the seeds — the numbers
 * that go in the comment beside each statistical assertion.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cli, ROOT, selectKatas } from "./katas.ts";
import { runKataTests } from "./run_tests.ts";

function parseSeeds(spec: string): number[] {
  return spec.split(",").flatMap((part) => {
    const [from, to] = part.split("-").map(Number);
    if (!Number.isInteger(from) || (to !== undefined && !Number.isInteger(to))) {
      throw new Error(`--seeds "${spec}": use a list or ranges of integers, e.g. 1-10 or 1,5,9`);
    }
    return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

await cli(async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      seeds: { type: "string", default: "1-10" },
      target: { type: "string", default: `${ROOT}/solutions` },
    },
    allowPositionals: true,
  });
  const seeds = parseSeeds(values.seeds);
  for (const kata of await selectKatas(positionals)) {
    const stats = new Map<string, { seed: number; value: number }[]>();
    const failures: string[] = [];
    for (const seed of seeds) {
      const run = await runKataTests(kata, {
        target: values.target,
        quiet: true,
        env: { KATA_SEED: String(seed), KATA_MEASURE: "1", NO_COLOR: "1" },
      });
      for (const line of run.output.split("\n")) {
        const start = line.indexOf('{"measure"');
        if (start < 0) continue;
        const { measure, value } = JSON.parse(line.slice(start));
        stats.set(measure, [...(stats.get(measure) ?? []), { seed, value }]);
      }
      const failed = run.cases.filter((c) => c.status === "fail").map((c) => `seed ${seed}: ${c.name}`);
      failures.push(...failed);
      console.error(`${kata.slug} seed ${seed}: ${failed.length === 0 && run.code === 0 ? "pass" : "FAIL"}`);
    }
    console.log(
      `\n${kata.slug}, seeds ${values.seeds}, backend ${Deno.env.get("KATA_BACKEND") ?? "default"}`,
    );
    console.log("| measure | min | max | mean | n |\n|---|---|---|---|---|");
    for (const [label, points] of stats) {
      const vs = points.map((p) => p.value);
      const fmt = (v: number) => Number(v.toPrecision(3)).toString();
      const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
      console.log(
        `| ${label} | ${fmt(Math.min(...vs))} | ${fmt(Math.max(...vs))} | ${fmt(mean)} | ${vs.length} |`,
      );
    }
    if (failures.length) console.log(`\nfailures:\n${failures.join("\n")}`);
  }
  return 0;
});
