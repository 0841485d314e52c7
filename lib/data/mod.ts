/**
 * The katas' data: Fashion-MNIST and the seeded generators each kata draws its data from.
 *
 * `fashion_mnist.ts` (with the IDX reader `idx.ts`): kata 01; `genomics.ts`: kata 02; `token_batches.ts`:
 * kata 03; `trajectories.ts`: kata 04; `heatmaps.ts`: kata 06.
 *
 * @example Usage
 * ```ts
 * import { generateHeatmapData } from "@lib/data/mod.ts";
 * const { images, labels } = generateHeatmapData({ count: 4, seed: 1 });
 * console.log(images.shape, labels.shape); // [4, 16, 16, 1] [4, 16, 16, 1]
 * ```
 * @module
 */
export * from "./fashion_mnist.ts";
export * from "./genomics.ts";
export * from "./heatmaps.ts";
export * from "./idx.ts";
export * from "./token_batches.ts";
export * from "./trajectories.ts";
