import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertGreater, assertLess, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { initBackend } from "../backend/init.ts";
import { generateHeatmapData } from "./heatmaps.ts";

await initBackend();

function values(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

describe("generateHeatmapData", () => {
  it("returns images and labels of shape [count, size, size, 1]", () => {
    const { images, labels } = generateHeatmapData({ count: 3, seed: 1, size: 12 });
    assertEquals(images.shape, [3, 12, 12, 1]);
    assertEquals(labels.shape, [3, 12, 12, 1]);
    assertEquals(labels.dtype, "float32");
    tf.dispose([images, labels]);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateHeatmapData({ count: 4, seed: 5 });
    const b = generateHeatmapData({ count: 4, seed: 5 });
    const c = generateHeatmapData({ count: 4, seed: 6 });
    assertEquals(values(a.images), values(b.images));
    assertEquals(values(a.labels), values(b.labels));
    assert(values(a.labels).some((v, i) => v !== values(c.labels)[i]), "seeds 5 and 6 gave the same labels");
    tf.dispose([a.images, a.labels, b.images, b.labels, c.images, c.labels]);
  });

  it("keeps labels ≥ 0 and on the scale of labelPeak (1e-2 by default)", () => {
    const { images, labels } = generateHeatmapData({ count: 200, seed: 2 });
    const y = values(labels);
    const min = Math.min(...y);
    const max = Math.max(...y);
    assertEquals(min >= 0, true, `smallest label ${min} is negative`);
    assertLess(max, 2e-2, `largest label ${max} is far above labelPeak 1e-2`);
    assertGreater(max, 4e-3, `largest label ${max}: no blob reached half of labelPeak`);
    const over = y.filter((v) => v > 1e-2).length / y.length;
    assertLess(over, 0.01, `${over} of the labels exceed 1e-2; blobs overlap too often`);
    tf.dispose([images, labels]);
  });

  it("scales labels linearly with labelPeak and leaves images unchanged", () => {
    const small = generateHeatmapData({ count: 2, seed: 3 });
    const unit = generateHeatmapData({ count: 2, seed: 3, labelPeak: 1 });
    assertEquals(values(small.images), values(unit.images));
    const a = values(small.labels);
    const b = values(unit.labels);
    for (let i = 0; i < a.length; i++) assertLess(Math.abs(a[i] * 100 - b[i]), 1e-5);
    tf.dispose([small.images, small.labels, unit.images, unit.labels]);
  });

  it("puts the label's peak where the image is bright", () => {
    const { images, labels } = generateHeatmapData({ count: 50, seed: 4, noise: 0 });
    const x = values(images);
    const y = values(labels);
    const pixels = 16 * 16;
    for (let n = 0; n < 50; n++) {
      let peak = n * pixels;
      for (let i = n * pixels; i < (n + 1) * pixels; i++) if (y[i] > y[peak]) peak = i;
      const brightest = Math.max(...x.subarray(n * pixels, (n + 1) * pixels));
      assertGreater(x[peak], 0.3 * brightest, `image ${n}: label peak sits on a dark pixel`);
    }
    tf.dispose([images, labels]);
  });

  it("rejects bad options with an error naming the option", () => {
    assertThrows(() => generateHeatmapData({ count: 0, seed: 1 }), RangeError, "count");
    assertThrows(() => generateHeatmapData({ count: 2.5, seed: 1 }), RangeError, "count");
    assertThrows(() => generateHeatmapData({ count: 1, seed: 1, size: 2 }), RangeError, "size");
    assertThrows(() => generateHeatmapData({ count: 1, seed: 1.5 }), RangeError, "seed");
    assertThrows(() => generateHeatmapData({ count: 1, seed: 1, labelPeak: -1 }), RangeError, "labelPeak");
    assertThrows(() => generateHeatmapData({ count: 1, seed: 1, labelSigma: 0 }), RangeError, "labelSigma");
    assertThrows(() => generateHeatmapData({ count: 1, seed: 1, noise: Number.NaN }), RangeError, "noise");
    assertThrows(() => generateHeatmapData({ count: 1, seed: 1, maxBlobs: 0 }), RangeError, "maxBlobs");
  });
});
