/**
 * Kata 03's demo: the benchmark's four designs (`bench/embedding_rigs.ts`: dense Adam, SGD,
 * lazy Adam, frozen table + small trainable one) at growing vocabularies; per step, the bytes
 * tfjs writes into new buffers (the solution's `bytesWritten`) and the least CPU time of a few steps
 * (less disturbed by other load than the wall clock). The step-time figure shows the
 * benchmark's own timings instead, up to 2,000,000 words, when `deno task bench` has written
 * them to `out/bench/results.json`.
 *
 * @module
 */
import process from "node:process";
import { BENCH, buildRig, type Design, DESIGN_LABELS, DESIGNS } from "../../bench/embedding_rigs.ts";
import { seedEverything } from "@lib/core/random.ts";
import { bytesWritten } from "../../solutions/03-embedding-cost/step_cost.ts";
import type { BenchRow } from "../../tools/bench/bench.ts";
import type { Demo, DemoContext } from "../demo.ts";
import { type DesignPoint, drawFigures, type EmbeddingCostNumbers, type StepTimes } from "./figures.ts";

/** From the benchmark's smallest size to 500,000 words (dense Adam needs ~2 GB of tensors there); the benchmark goes to 2,000,000. */
const VOCABS = [20_000, 100_000, 500_000];
const WARMUP = 1;
const TIMED = 7;
/** Where `deno task bench` writes its results. */
const BENCH_RESULTS = new URL("../../out/bench/results.json", import.meta.url);

/** The demo. */
export const demo: Demo = async (context) => {
  const { table, numbers } = await measure(context);
  return { table, figures: await drawFigures(numbers) };
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

/**
 * Builds every design at every vocabulary, times its steps and counts what its kernels write.
 *
 * @param context Seed and progress.
 * @returns The table rows and the figures' numbers.
 */
export async function measure(
  { seed, progress }: DemoContext,
): Promise<{ table: Record<string, string | number>[]; numbers: EmbeddingCostNumbers }> {
  const bytes: DesignPoint[] = [];
  const cpu: DesignPoint[] = [];
  progress.start("designs × vocabularies", DESIGNS.length * VOCABS.length);
  for (const design of DESIGNS) {
    for (const vocab of VOCABS) {
      seedEverything(seed);
      const rig = buildRig(design, vocab, seed);
      try {
        for (let i = 0; i < WARMUP; i++) rig.step();
        const times: number[] = [];
        for (let i = 0; i < TIMED; i++) {
          const started = process.cpuUsage();
          rig.step();
          const used = process.cpuUsage(started);
          times.push((used.user + used.system) / 1000);
        }
        const label = DESIGN_LABELS[design];
        bytes.push({ design: label, vocab, value: await bytesWritten(() => rig.step()) });
        cpu.push({ design: label, vocab, value: Math.min(...times) });
      } finally {
        rig.dispose();
      }
      progress.update(bytes.length);
    }
  }
  progress.stop();

  const { embeddingDim, units, seqLen, batchSize } = BENCH;
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
  return {
    table,
    numbers: {
      bytes,
      tableBytes: VOCABS.map((vocab) => ({ vocab, bytes: vocab * embeddingDim * 4 })),
      times,
      setup:
        `Embedding(V, ${embeddingDim}) → LSTM(${units}) → Dense(1), ${batchSize} sequences × ${seqLen} ` +
        `tokens, seed ${seed}`,
    },
  };
}
