/**
 * Kata 03's experiment: the benchmark's designs (`bench/embedding_rigs.ts`: dense Adam, SGD, lazy Adam,
 * frozen table + small trainable one) built at growing vocabularies; per step, the bytes tfjs writes into
 * new buffers (the solution's `bytesWritten`) and the fastest wall-clock time of a few steps. The slope of
 * the bytes against the vocabulary, in table-sized buffers, is what the tests measure. The demo (`demo.ts`)
 * measures each configuration with the same {@linkcode measureStep}, timed by the process's CPU clock.
 *
 * @module
 */
import { BENCH, buildRig, type Design, DESIGN_LABELS, DESIGNS } from "../../bench/embedding_rigs.ts";
import { seedEverything } from "@lib/core/random.ts";
import { bytesWritten } from "../../solutions/03-embedding-cost/step_cost.ts";
import type { Experiment, Reading } from "../experiment.ts";
import { charts, type DesignPoint, type EmbeddingCostNumbers, type StepTimes } from "./figures.ts";

/** The vocabularies each setting of the `vocabulary` knob measures; the demo measures `large`. */
export const VOCABULARIES: Record<string, number[]> = {
  small: [20_000, 40_000, 80_000],
  large: [20_000, 200_000, 500_000],
};
/** Steps before timing (the first builds the optimizer's state), and steps timed (by default). */
const WARMUP = 1;
const TIMED = 3;
/** The tests' label for each design's slope, where they measure it. */
const MEASURES: Partial<Record<Design, string>> = {
  adam: "dense adam: table-sized buffers written per step",
  sgd: "sgd: table-sized buffers written per step",
  frozen: "frozen: table-sized buffers written per step",
};

/** What one training step of one design at one vocabulary costs. */
export interface StepCost {
  /** Bytes tfjs's kernels write into new buffers in one step (the solution's `bytesWritten`). */
  bytes: number;
  /** The least time of the timed steps, in milliseconds, by the clock given. */
  ms: number;
}

/** Runs `step` once and says how long it took, in milliseconds. */
export type StepClock = (step: () => void) => number;

/** The wall clock (`performance.now`): the only clock a browser page has, and the default. */
const wallClock: StepClock = (step) => {
  const started = performance.now();
  step();
  return performance.now() - started;
};

/**
 * Builds one design (`bench/embedding_rigs.ts`) at one vocabulary, takes a warm-up step, times a few steps
 * and counts the bytes one more step writes; frees the model after. Each configuration the lab and the
 * demo compare is measured here.
 *
 * @example Usage
 * ```ts ignore
 * import { measureStep } from "./experiment.ts";
 * const { bytes, ms } = await measureStep("sgd", 20_000, 42); // about 31 MB; tens of ms
 * ```
 * @param design The design.
 * @param vocab Rows of the embedding table.
 * @param seed Seeds the weights and the batches.
 * @param options `timed`: steps timed (default 3); `clock`: how a step is timed (default: the wall clock).
 * @returns The bytes one step writes and the least time of the timed steps.
 */
export async function measureStep(
  design: Design,
  vocab: number,
  seed: number,
  { timed = TIMED, clock = wallClock }: { timed?: number; clock?: StepClock } = {},
): Promise<StepCost> {
  seedEverything(seed);
  const rig = buildRig(design, vocab, seed);
  try {
    for (let i = 0; i < WARMUP; i++) rig.step();
    let least = Infinity;
    for (let i = 0; i < timed; i++) least = Math.min(least, clock(() => rig.step()));
    return { bytes: await bytesWritten(() => rig.step()), ms: least };
  } finally {
    rig.dispose();
  }
}

/**
 * What kata 03's charts draw: the measured points, one table's size at each vocabulary for reference, and
 * the model and batch for the subtitles.
 *
 * @example Usage
 * ```ts
 * import { costNumbers } from "./experiment.ts";
 * const numbers = costNumbers(42, [20_000], [], { points: [], source: "none" });
 * console.log(numbers.tableBytes); // [{ vocab: 20000, bytes: 5120000 }]
 * ```
 * @param seed The seed the points were measured with.
 * @param vocabs The vocabularies measured.
 * @param bytes Bytes written per step, per design and vocabulary.
 * @param times Step times, per design and vocabulary, and how they were taken.
 * @returns The charts' numbers.
 */
export function costNumbers(
  seed: number,
  vocabs: number[],
  bytes: DesignPoint[],
  times: StepTimes,
): EmbeddingCostNumbers {
  const { embeddingDim, units, seqLen, batchSize } = BENCH;
  return {
    bytes,
    tableBytes: vocabs.map((vocab) => ({ vocab, bytes: vocab * embeddingDim * 4 })),
    times,
    setup: `Embedding(V, ${embeddingDim}) → LSTM(${units}) → Dense(1), ${batchSize} sequences × ` +
      `${seqLen} tokens, seed ${seed}`,
  };
}

const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Kata 03's experiment. */
export const experiment: Experiment = {
  lesson: "A training step's cost should follow the batch, not the vocabulary. With a trainable embedding " +
    "table, tfjs computes a dense gradient as large as the table, and Adam rewrites its two moment tables " +
    "too: every step writes about sixteen table-sized buffers (SGD: four), so the step grows linearly with " +
    "the vocabulary even though a batch touches a few hundred rows. Updating only the batch's rows (lazy " +
    "Adam) or freezing the big table beside a small trainable one makes the cost flat. Try the knobs: the " +
    "vocabulary sizes and the designs.",
  knobs: [
    {
      name: "vocabulary",
      label: "vocabularies",
      options: [
        { value: "small", label: "20,000 · 40,000 · 80,000 words" },
        { value: "large", label: "20,000 · 200,000 · 500,000 words" },
      ],
      default: "small",
    },
    {
      name: "designs",
      label: "designs",
      options: [
        { value: "all", label: "all four" },
        ...DESIGNS.map((d) => ({ value: d, label: DESIGN_LABELS[d] })),
      ],
      default: "all",
    },
  ],
  async run(settings, { seed, onProgress }) {
    const vocabs = VOCABULARIES[settings.vocabulary];
    const designs = settings.designs === "all" ? [...DESIGNS] : [settings.designs as Design];
    const bytes: DesignPoint[] = [];
    const times: DesignPoint[] = [];
    const source = `wall clock, fastest of ${TIMED} steps, measured in this run`;
    const drawn = () => charts(costNumbers(seed, vocabs, bytes, { points: times, source }));
    const readings: Reading[] = [];
    let done = 0;
    for (const design of designs) {
      const label = DESIGN_LABELS[design];
      for (const vocab of vocabs) {
        onProgress({ fraction: done / (designs.length * vocabs.length), stage: `${label}, V = ${vocab}` });
        await nextFrame(); // let the page show it: the steps hold the thread
        const cost = await measureStep(design, vocab, seed);
        bytes.push({ design: label, vocab, value: cost.bytes });
        times.push({ design: label, vocab, value: cost.ms });
        onProgress({ fraction: ++done / (designs.length * vocabs.length), stage: label, charts: drawn() });
      }
      const own = bytes.filter((b) => b.design === label);
      const [first, last] = [own[0], own.at(-1)!];
      const slope = (last.value - first.value) / (last.vocab - first.vocab) / (BENCH.embeddingDim * 4);
      readings.push({
        label: `${label}: table-sized buffers written per step`,
        value: slope,
        ...(MEASURES[design] ? { measure: MEASURES[design] } : {}),
      });
      readings.push({
        label: `${label}: MB written per step at ${last.vocab.toLocaleString("en-US")} words`,
        value: last.value / 1e6,
      });
    }
    const result = drawn();
    onProgress({ fraction: 1, stage: "done", charts: result, readings });
    return { readings, charts: result };
  },
};
