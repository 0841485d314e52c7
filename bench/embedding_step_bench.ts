/**
 * Kata 03's benchmark: the time of one training step of Embedding(V, 64) → LSTM(32) →
 * Dense(1) (20 tokens × 32 sequences) for vocabularies from 20,000 to 2,000,000 words, in
 * the four designs of `embedding_rigs.ts`. Run with `deno bench -A bench/`; one group per
 * design, its smallest vocabulary the baseline. `embedding_table.ts` prints the same
 * measurements as one markdown table.
 *
 * On the wasm backend a size whose step would need more tensor memory than the wasm heap
 * can hold (predicted from two small sizes) is registered as ignored, with the reason in its
 * name: attempting it would abort the wasm module and with it the whole run.
 *
 * @module
 */
import { initBackend } from "@lib/backend/init.ts";
import { seedEverything } from "@lib/core/random.ts";
import {
  buildRig,
  type Design,
  DESIGN_LABELS,
  DESIGNS,
  peakBytesModel,
  type Rig,
  WASM_HEAP_BYTES,
} from "./embedding_rigs.ts";

const VOCABS = [20_000, 200_000, 2_000_000];
/** Predicted peaks above this share of the heap are not attempted (the allocator needs slack). */
const HEAP_SHARE = 0.9;

const backend = await initBackend();
seedEverything(1);

let current: { key: string; rig: Rig } | undefined;
function rigFor(design: Design, vocab: number): Rig {
  const key = `${design}@${vocab}`;
  if (current?.key !== key) {
    current?.rig.dispose();
    current = { key, rig: buildRig(design, vocab) };
  }
  return current.rig;
}

for (const design of DESIGNS) {
  const peakBytes = backend === "wasm" ? await peakBytesModel(design) : undefined;
  for (const vocab of VOCABS) {
    let skip = "";
    if (peakBytes) {
      const peak = peakBytes(vocab);
      if (peak > HEAP_SHARE * WASM_HEAP_BYTES) {
        skip = ` (not run: needs ~${(peak / 1e9).toFixed(1)} GB of tensors, the wasm heap holds 4.3 GB)`;
        console.log(`ignored: ${DESIGN_LABELS[design]}, V=${vocab.toLocaleString("en-US")}${skip}`);
      }
    }
    Deno.bench({
      name: `${DESIGN_LABELS[design]}, V=${vocab.toLocaleString("en-US")}${skip}`,
      group: design,
      baseline: vocab === VOCABS[0],
      ignore: skip !== "",
      n: 10,
      warmup: 2,
      fn(b) {
        const rig = rigFor(design, vocab);
        b.start();
        rig.step();
        b.end();
      },
    });
  }
}
