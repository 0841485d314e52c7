/**
 * Fashion-MNIST without Deno's APIs: the class names, the official file names, the checks a loaded split
 * must pass, and {@linkcode fetchFashionMnist}, which reads a split from a URL (the lab's browser page serves
 * the committed subset beside itself). `fashion_mnist.ts` reads the same files from disk.
 *
 * @example Usage
 * ```ts
 * import { fetchFashionMnist } from "@lib/data/fashion_mnist_files.ts";
 * const test = await fetchFashionMnist("test", new URL("../../fixtures/fashion-mnist-mini/", import.meta.url));
 * console.log(test.count, test.rows, test.cols); // 1000 28 28
 * ```
 * @module
 */
import { fetchIdx, type Idx } from "./idx.ts";
import { deepFreeze } from "../core/freeze.ts";

/** The ten Fashion-MNIST class names, by label. */
export const FASHION_CLASSES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** The official file names, by split. */
export const FASHION_FILES = {
  train: { images: "train-images-idx3-ubyte.gz", labels: "train-labels-idx1-ubyte.gz" },
  test: { images: "t10k-images-idx3-ubyte.gz", labels: "t10k-labels-idx1-ubyte.gz" },
} as const;
deepFreeze(FASHION_FILES); // graded code cannot change the rules the tests read

/** A split's pixels (0..255, one byte each, row-major), labels and sizes. */
export interface FashionSplit {
  /** `count × rows × cols` pixel values. */
  images: Uint8Array;
  /** `count` labels 0..9. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height (28). */
  rows: number;
  /** Image width (28). */
  cols: number;
}

/**
 * Checks that an images file and a labels file make one split, and returns it.
 *
 * @example Usage
 * ```ts
 * import { checkedSplit } from "@lib/data/fashion_mnist_files.ts";
 * const split = checkedSplit(
 *   { data: new Uint8Array(4), shape: [1, 2, 2] }, "images", { data: new Uint8Array([3]), shape: [1] }, "labels",
 * );
 * console.log(split.count); // 1
 * ```
 * @param images The decoded images file.
 * @param imagesName Its name, for errors.
 * @param labels The decoded labels file.
 * @param labelsName Its name, for errors.
 * @returns The split.
 * @throws {Error} Naming the file when the shapes do not fit or a label is not a class 0..9.
 */
export function checkedSplit(images: Idx, imagesName: string, labels: Idx, labelsName: string): FashionSplit {
  if (images.shape.length !== 3) {
    throw new Error(
      `${imagesName}: expected images of shape [count, rows, cols], got [${images.shape.join(", ")}]`,
    );
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new Error(
      `${labelsName}: ${labels.shape[0]} labels for ${
        images.shape[0]
      } images in ${imagesName}; the files do not belong together`,
    );
  }
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) {
    throw new Error(`${labelsName}: label ${labels.data[bad]} at index ${bad} is not a class 0..9`);
  }
  const [count, rows, cols] = images.shape;
  return { images: images.data, labels: labels.data, count, rows, cols };
}

/**
 * Fetches one split of Fashion-MNIST from the folder at `base` (official file names, gzipped).
 *
 * @example Usage
 * ```ts ignore
 * import { fetchFashionMnist } from "@lib/data/fashion_mnist_files.ts";
 * const train = await fetchFashionMnist("train", new URL("./data/", location.href)); // in the lab's page
 * ```
 * @param split `"train"` or `"test"`.
 * @param base The folder's URL (ending with `/`).
 * @returns Pixels, labels and sizes.
 */
export async function fetchFashionMnist(split: "train" | "test", base: string | URL): Promise<FashionSplit> {
  const files = FASHION_FILES[split];
  const [imagesUrl, labelsUrl] = [new URL(files.images, base), new URL(files.labels, base)];
  const [images, labels] = await Promise.all([fetchIdx(imagesUrl), fetchIdx(labelsUrl)]);
  return checkedSplit(images, String(imagesUrl), labels, String(labelsUrl));
}
