/**
 * Kata 03's demo: the lab's experiment (`experiment.ts`) at its `large` vocabularies — each of the
 * benchmark's four designs measured by the experiment's `measureStep`: the bytes tfjs writes into new
 * buffers per step, and the least CPU time of a few steps (less disturbed by other load than the wall clock
 * the page has). The step-time figure shows the benchmark's own timings instead, up to 2,000,000 words, when
 * `deno task bench` has written them to `out/bench/results.json`.
 *
 * @module
 */
import process from "node:process";
import { type Design, DESIGN_LABELS, DESIGNS } from "../../bench/embedding_rigs.ts";
import type { BenchRow } from "../../tools/bench/bench.ts";
import type { Demo } from "../demo.ts";
import { costNumbers, measureStep, type StepClock, VOCABULARIES } from "./experiment.ts";
import { type DesignPoint, drawFigures, type StepTimes } from "./figures.ts";

/** 20,000 to 500,000 words (dense Adam needs ~2 GB of tensors there); the benchmark goes to 2,000,000. */
const VOCABS = VOCABULARIES.large;
const TIMED = 7;
/** Where `deno task bench` writes its results. */
const BENCH_RESULTS = new URL("../../out/bench/results.json", import.meta.url);

/** The process's CPU time (user + system) of one step, in milliseconds. */
const cpuClock: StepClock = (step) => {
  const started = process.cpuUsage();
  step();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
};

/** The demo. */
export const demo: Demo = async ({ seed, progress }) => {
  const bytes: DesignPoint[] = [];
  const cpu: DesignPoint[] = [];
  progress.start("designs × vocabularies", DESIGNS.length * VOCABS.length);
  for (const design of DESIGNS) {
    for (const vocab of VOCABS) {
      const cost = await measureStep(design, vocab, seed, { timed: TIMED, clock: cpuClock });
      bytes.push({ design: DESIGN_LABELS[design], vocab, value: cost.bytes });
      cpu.push({ design: DESIGN_LABELS[design], vocab, value: cost.ms });
      progress.update(bytes.length);
    }
  }
  progress.stop();
  const table = VOCABS.map((vocab) => {
    const row: Record<string, string | number> = { V: vocab.toLocaleString("en-US") };
    bytes.forEach((b, i) => {
      if (b.vocab === vocab) {
        row[b.design] = `${(b.value / 1e6).toFixed(1)} MB, ${cpu[i].value.toFixed(0)} ms CPU`;
      }
    });
    return row;
  });
  const times = await benchmarkTimes() ??
    { points: cpu, source: `least CPU time (user + system) of ${TIMED} steps, measured by the demo` };
  return { table, figures: await drawFigures(costNumbers(seed, VOCABS, bytes, times)) };
};

/**
 * Kata 03's step times from `out/bench/results.json` (the fastest of each case's timed
 * steps, wall clock), or `undefined` when `deno task bench` has not recorded them.
 */
async function benchmarkTimes(): Promise<StepTimes | undefined> {
  let results: { started: string; bench: BenchRow[] };
  try {
    results = JSON.parse(await Deno.readTextFile(BENCH_RESULTS));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const rows = (results.bench ?? []).filter((r) => r.file === "bench/embedding_step_bench.ts");
  if (rows.length === 0) return undefined;
  return {
    points: rows.map((r) => ({
      design: DESIGN_LABELS[r.group as Design],
      vocab: Number(/V=([\d,]+)/.exec(r.name)![1].replaceAll(",", "")),
      value: r.minMs,
    })),
    source: `wall clock, fastest of each case's timed steps, from deno task bench (${
      results.started.slice(0, 10)
    })`,
  };
}
