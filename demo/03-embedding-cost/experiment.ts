/**
 * Kata 03's experiment: the benchmark's designs (`bench/embedding_rigs.ts`: dense Adam, SGD, lazy Adam,
 * frozen table + small trainable one) built at growing vocabularies; per step, the bytes tfjs writes into
 * new buffers (the solution's `bytesWritten`) and the fastest wall-clock time of a few steps. The slope of
 * the bytes against the vocabulary, in table-sized buffers, is what the tests measure.
 *
 * @module
 */
import { BENCH, buildRig, type Design, DESIGN_LABELS, DESIGNS } from "../../bench/embedding_rigs.ts";
import { seedEverything } from "@lib/core/random.ts";
import { bytesWritten } from "../../solutions/03-embedding-cost/step_cost.ts";
import type { Chart, Experiment, Reading } from "../experiment.ts";
import { bytesFigure, type DesignPoint, timeFigure } from "./figures.ts";

const VOCABULARIES: Record<string, number[]> = {
  small: [20_000, 40_000, 80_000],
  large: [20_000, 200_000, 500_000],
};
/** Steps before timing (the first builds the optimizer's state), and steps timed. */
const WARMUP = 1;
const TIMED = 3;
/** The tests' label for each design's slope, where they measure it. */
const MEASURES: Partial<Record<Design, string>> = {
  adam: "dense adam: table-sized buffers written per step",
  sgd: "sgd: table-sized buffers written per step",
  frozen: "frozen: table-sized buffers written per step",
};

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
    const { embeddingDim, units, seqLen, batchSize } = BENCH;
    const setup = `Embedding(V, ${embeddingDim}) → LSTM(${units}) → Dense(1), ${batchSize} sequences × ` +
      `${seqLen} tokens, seed ${seed}`;
    const bytes: DesignPoint[] = [];
    const times: DesignPoint[] = [];
    const tableBytes = vocabs.map((vocab) => ({ vocab, bytes: vocab * embeddingDim * 4 }));
    const source = `wall clock, fastest of ${TIMED} steps, measured in this run`;
    const charts = (): Chart[] => [
      { name: "bytes-per-step", spec: bytesFigure({ bytes, tableBytes, setup }) },
      { name: "step-time", spec: timeFigure({ times: { points: times, source }, setup }) },
    ];
    const readings: Reading[] = [];
    let done = 0;
    for (const design of designs) {
      const label = DESIGN_LABELS[design];
      for (const vocab of vocabs) {
        onProgress({ fraction: done / (designs.length * vocabs.length), stage: `${label}, V = ${vocab}` });
        await nextFrame(); // let the page show it: the steps hold the thread
        seedEverything(seed);
        const rig = buildRig(design, vocab, seed);
        try {
          for (let i = 0; i < WARMUP; i++) rig.step();
          let fastest = Infinity;
          for (let i = 0; i < TIMED; i++) {
            const started = performance.now();
            rig.step();
            fastest = Math.min(fastest, performance.now() - started);
          }
          bytes.push({ design: label, vocab, value: await bytesWritten(() => rig.step()) });
          times.push({ design: label, vocab, value: fastest });
        } finally {
          rig.dispose();
        }
        onProgress({ fraction: ++done / (designs.length * vocabs.length), stage: label, charts: charts() });
      }
      const own = bytes.filter((b) => b.design === label);
      const [first, last] = [own[0], own.at(-1)!];
      const slope = (last.value - first.value) / (last.vocab - first.vocab) / (embeddingDim * 4);
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
    const result = charts();
    onProgress({ fraction: 1, stage: "done", charts: result, readings });
    return { readings, charts: result };
  },
};
