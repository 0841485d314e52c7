/**
 * Loads Fashion-MNIST from the official IDX files, looking in order in: an explicit
 * directory, `FASHION_MNIST_DIR`, `/usr/share/datasets/fashion-mnist` (Debian package
 * `dataset-fashion-mnist`), else the committed class-balanced subset in
 * `fixtures/fashion-mnist-mini/` (made by `tools/tasks/make_fashion_subset.ts`).
 *
 * @example Usage
 * ```ts
 * import { loadFashionMnist } from "@lib/data/fashion_mnist.ts";
 * const test = await loadFashionMnist("test", { mini: true });
 * console.log(test.count, test.rows, test.cols); // 1000 28 28
 * ```
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readIdx } from "./idx.ts";
import { readSetting } from "../core/settings.ts";
import { pathExists } from "../core/fs.ts";
import { checkedSplit, FASHION_FILES, type FashionSplit } from "./fashion_mnist_files.ts";

export { FASHION_CLASSES, FASHION_FILES, fetchFashionMnist } from "./fashion_mnist_files.ts";

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

/** The committed mini subset. */
export const MINI_DIR: string = fileURLToPath(new URL("../../fixtures/fashion-mnist-mini", import.meta.url));

/** A loaded split: raw pixels 0..255, one byte each, row-major. */
export interface FashionMnist extends FashionSplit {
  /** The directory the files came from. */
  dir: string;
}

/** Options for {@linkcode loadFashionMnist}. */
export interface LoadOptions {
  /** Read from this directory only. */
  dir?: string;
  /** Use the committed mini subset regardless of what else is installed. */
  mini?: boolean;
}

function envDir(): string | undefined {
  return readSetting("FASHION_MNIST_DIR");
}

/**
 * The directory {@linkcode loadFashionMnist} would read for `options`.
 *
 * @example Usage
 * ```ts
 * import { fashionMnistDir } from "@lib/data/fashion_mnist.ts";
 * console.log(await fashionMnistDir({ mini: true }));
 * ```
 * @param options Explicit directory or mini subset.
 * @returns The directory.
 */
export async function fashionMnistDir(options: LoadOptions = {}): Promise<string> {
  if (options.mini) return MINI_DIR;
  if (options.dir) return options.dir;
  for (const dir of [envDir(), DEBIAN_DIR]) {
    if (dir && await pathExists(join(dir, FASHION_FILES.test.images))) return dir;
  }
  return MINI_DIR;
}

/**
 * Loads one split of Fashion-MNIST.
 *
 * @example Usage
 * ```ts
 * import { FASHION_CLASSES, loadFashionMnist } from "@lib/data/fashion_mnist.ts";
 * const { labels } = await loadFashionMnist("test", { mini: true });
 * console.log(FASHION_CLASSES[labels[0]]);
 * ```
 * @param split `"train"` or `"test"`.
 * @param options Where to read from.
 * @returns Pixels, labels and sizes.
 */
export async function loadFashionMnist(
  split: "train" | "test",
  options: LoadOptions = {},
): Promise<FashionMnist> {
  const dir = await fashionMnistDir(options);
  const files = FASHION_FILES[split];
  const imagesPath = join(dir, files.images);
  const labelsPath = join(dir, files.labels);
  for (const path of [imagesPath, labelsPath]) {
    if (!await pathExists(path)) {
      throw new Error(
        `${path} is missing; run \`deno task data\` or set FASHION_MNIST_DIR to a folder with the files`,
      );
    }
  }
  const loaded = checkedSplit(await readIdx(imagesPath), imagesPath, await readIdx(labelsPath), labelsPath);
  return { ...loaded, dir };
}
