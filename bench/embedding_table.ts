/**
 * Kata 03's benchmark as markdown tables: the median training-step time of each design
 * (see `embedding_rigs.ts`) at each vocabulary size, wall clock and CPU time, then the bytes
 * the step wrote into new tfjs buffers (the solution's `bytesWritten`) and the peak tensor
 * memory (`tf.profile`).
 *
 *     deno run -A bench/embedding_table.ts [--vocabs 20000,200000,2000000] [--steps 10]
 *
 * Each (design, vocabulary) runs in its own process, so one that runs out of memory (the
 * wasm heap stops at 4 GiB) is reported as such and the others still run.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import process from "node:process";
import { parseArgs } from "node:util";
import { initBackend } from "@lib/backend/init.ts";
import { seedEverything } from "@lib/core/random.ts";
import { bytesWritten } from "../solutions/03-embedding-cost/step_cost.ts";
import { BENCH, buildRig, type Design, DESIGN_LABELS, DESIGNS, WASM_HEAP_BYTES } from "./embedding_rigs.ts";

/** What one (design, vocabulary) run measured. */
interface Timing {
  backend: string;
  /** Wall-clock step times in ms, sorted. */
  times: number[];
  /** Process CPU time (user + system) per step in ms, sorted: less sensitive to other load. */
  cpuTimes: number[];
  /** Bytes written into new tfjs buffers in one step (the solution's `bytesWritten`). */
  bytes: number;
  /** Peak bytes of live tensors during one step (`tf.profile`; a tensor sharing another's buffer counts again). */
  peakBytes: number;
  /** Load average over the last minute when the run ended. */
  load: number;
}

const WARMUP = 2;

async function measureOne(design: Design, vocab: number, steps: number): Promise<Timing> {
  const backend = await initBackend();
  seedEverything(1);
  const rig = buildRig(design, vocab);
  for (let i = 0; i < WARMUP; i++) rig.step();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    rig.step();
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const info = await tf.profile(() => {
    rig.step();
  });
  return {
    backend,
    times: times.sort((a, b) => a - b),
    cpuTimes: cpuTimes.sort((a, b) => a - b),
    bytes: await bytesWritten(() => rig.step()),
    peakBytes: info.peakBytes,
    load: Deno.loadavg()[0],
  };
}

async function runChild(design: Design, vocab: number, steps: number): Promise<Timing | string> {
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      import.meta.filename!,
      "--one",
      design,
      "--vocab",
      String(vocab),
      "--steps",
      String(steps),
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const out = new TextDecoder().decode(stdout).trim().split("\n").at(-1) ?? "";
  if (code === 0 && out.startsWith("{")) return JSON.parse(out) as Timing;
  // deno-lint-ignore no-control-regex
  const lines = new TextDecoder().decode(stderr).replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) =>
    l.trim()
  );
  const error = lines.find((l) => /^error:|Aborted\(|Error:/.test(l)) ?? lines.filter(Boolean).at(-1) ?? "";
  return `did not run (exit ${code}): ${error.slice(0, 200)}`;
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)];
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

const { values } = parseArgs({
  args: Deno.args,
  options: {
    one: { type: "string" },
    vocab: { type: "string" },
    vocabs: { type: "string", default: "20000,200000,1000000,2000000" },
    steps: { type: "string", default: "10" },
  },
});
const steps = Number(values.steps);

if (values.one) {
  console.log(JSON.stringify(await measureOne(values.one as Design, Number(values.vocab), steps)));
} else {
  const vocabs = values.vocabs!.split(",").map(Number);
  const results = new Map<string, Timing | string>();
  let backend = "?";
  for (const design of DESIGNS) {
    for (const vocab of vocabs) {
      const started = performance.now();
      const result = await runChild(design, vocab, steps);
      results.set(`${design}@${vocab}`, result);
      if (typeof result !== "string") backend = result.backend;
      const summary = typeof result === "string" ? result : `median ${fmt(median(result.times))} ms`;
      console.error(
        `${design} at ${vocab}: ${summary} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
  }
  const { embeddingDim, units, seqLen, batchSize } = BENCH;
  const ok = [...results.values()].filter((r): r is Timing => typeof r !== "string");
  const loads = ok.map((r) => r.load);
  console.log(
    `\nEmbedding(V, ${embeddingDim}) → LSTM(${units}) → Dense(1), ${seqLen} tokens × ${batchSize} sequences; ` +
      `backend ${backend}; ${steps} timed steps after ${WARMUP} warm-up steps per cell; ` +
      `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs.\n`,
  );
  const table = (title: string, cell: (r: Timing) => string) => {
    console.log(`${title}\n\n| V | ${DESIGNS.map((d) => DESIGN_LABELS[d]).join(" | ")} |`);
    console.log(`|---:|${DESIGNS.map(() => "---:|").join("")}`);
    for (const vocab of vocabs) {
      const cells = DESIGNS.map((design) => {
        const result = results.get(`${design}@${vocab}`)!;
        return typeof result === "string" ? "did not run ¹" : cell(result);
      });
      console.log(`| ${vocab.toLocaleString("en-US")} | ${cells.join(" | ")} |`);
    }
    console.log("");
  };
  table(
    "Median step time, wall clock (CPU time of the process), ms:",
    (r) => `${fmt(median(r.times))} (${fmt(median(r.cpuTimes))})`,
  );
  table(
    "Work per step: MB written into new tfjs buffers; peak tensor memory (MiB, tf.profile):",
    (r) => `${(r.bytes / 1e6).toFixed(1)} MB; ${(r.peakBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  for (const design of DESIGNS) {
    const ran = vocabs.flatMap((vocab) => {
      const result = results.get(`${design}@${vocab}`)!;
      return typeof result === "string" ? [] : [{ vocab, peak: result.peakBytes }];
    });
    for (const vocab of vocabs) {
      const result = results.get(`${design}@${vocab}`)!;
      if (typeof result !== "string") continue;
      let line = `¹ ${DESIGN_LABELS[design]} at ${vocab.toLocaleString("en-US")} words: ${result}`;
      if (ran.length >= 2) {
        const [a, b] = [ran[0], ran.at(-1)!];
        const peak = a.peak + (b.peak - a.peak) / (b.vocab - a.vocab) * (vocab - a.vocab);
        line +=
          `. Extrapolating the peak tensor memory of the sizes that ran gives ${
            (peak / 1e9).toFixed(1)
          } GB ` +
          `for this size; the wasm heap stops at ${(WASM_HEAP_BYTES / 1e9).toFixed(1)} GB.`;
      }
      console.log(line);
    }
  }
}
