/**
 * tfjs's Adam against `lib/models/fused_adam.ts` (`deno bench -A bench/optimizer_bench.ts`, or
 * `deno task bench`): one training step (forward, backward, Adam) of kata 05's networks on a batch of 64
 * [x, y] points (3 × 32, 1 × 560 and 3 × 128 ReLU units, as `buildMlp` makes them), and one step of kata 01's
 * 784-128-10 classifier on 64 images, on the wasm backend with the katas' kernels (`initBackend()`). Both
 * optimizers compute the same numbers (`lib/models/fused_adam_test.ts`); `tf.train.adam` is each group's
 * baseline.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@lib/backend/init.ts";
import { adam } from "@lib/models/fused_adam.ts";

await initBackend();

const BATCH = 64;
const NETWORKS: [name: string, inputs: number, hidden: number[], outputs: number][] = [
  ["MLP 3×32 (kata 05)", 2, [32, 32, 32], 1],
  ["MLP 1×560 (kata 05)", 2, [560], 1],
  ["MLP 3×128 (kata 05)", 2, [128, 128, 128], 1],
  ["784-128-10 (kata 01)", 784, [128], 10],
];
const OPTIMIZERS: [label: string, make: () => tf.Optimizer][] = [
  ["tf.train.adam", () => tf.train.adam(1e-3)],
  ["fused adam", () => adam(1e-3)],
];

for (const [network, inputs, hidden, outputs] of NETWORKS) {
  for (const [label, make] of OPTIMIZERS) {
    let rig: { model: tf.Sequential; optimizer: tf.Optimizer; x: tf.Tensor; y: tf.Tensor } | undefined;
    Deno.bench({
      name: `${network}, ${label}`,
      group: `Adam step: ${network}, batch ${BATCH}`,
      baseline: label === "tf.train.adam",
      n: 200,
      warmup: 20,
      fn() {
        rig ??= {
          model: tf.sequential({
            layers: [
              ...hidden.map((units, i) =>
                tf.layers.dense({ units, activation: "relu", inputShape: i === 0 ? [inputs] : undefined })
              ),
              tf.layers.dense({ units: outputs }),
            ],
          }),
          optimizer: make(),
          x: tf.randomUniform([BATCH, inputs], -1, 1, "float32", 1),
          y: tf.randomUniform([BATCH, outputs], -1, 1, "float32", 2),
        };
        const { model, optimizer, x, y } = rig;
        const loss = optimizer.minimize(
          () =>
            tf.losses.meanSquaredError(y, model.predict(x, { batchSize: BATCH }) as tf.Tensor) as tf.Scalar,
          true,
        )!;
        loss.dataSync();
        loss.dispose();
      },
    });
  }
}
