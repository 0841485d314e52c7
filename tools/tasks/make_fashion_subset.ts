/**
 * Makes `fixtures/fashion-mnist-mini/`: a class-balanced subset of the official
 * Fashion-MNIST files (the first N images of each class, in file order), written as IDX
 * gzip under the official names. Deterministic: the same source files give the same bytes.
 *
 * Usage: `deno run -A tools/tasks/make_fashion_subset.ts [SOURCE_DIR] [--train 300] [--test 100]`
 * (per-class counts; SOURCE_DIR defaults to the loader's search order).
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { encodeIdx, gzip } from "@lib/data/idx.ts";
import { FASHION_FILES, loadFashionMnist, MINI_DIR } from "@lib/data/fashion_mnist.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { train: { type: "string", default: "300" }, test: { type: "string", default: "100" } },
  allowPositionals: true,
});

for (const split of ["train", "test"] as const) {
  const perClass = Number(values[split]);
  const source = await loadFashionMnist(split, { dir: positionals[0] });
  if (source.dir === MINI_DIR) {
    throw new Error("the full dataset is needed; install dataset-fashion-mnist or pass its folder");
  }
  const size = source.rows * source.cols;
  const taken = new Array(10).fill(0);
  const chosen: number[] = [];
  for (let i = 0; i < source.count; i++) {
    if (taken[source.labels[i]] < perClass) {
      taken[source.labels[i]]++;
      chosen.push(i);
    }
  }
  const images = new Uint8Array(chosen.length * size);
  chosen.forEach((src, dst) => images.set(source.images.subarray(src * size, (src + 1) * size), dst * size));
  const labels = Uint8Array.from(chosen, (i) => source.labels[i]);
  await Deno.mkdir(MINI_DIR, { recursive: true });
  await Deno.writeFile(
    join(MINI_DIR, FASHION_FILES[split].images),
    await gzip(encodeIdx(images, [chosen.length, source.rows, source.cols])),
  );
  await Deno.writeFile(
    join(MINI_DIR, FASHION_FILES[split].labels),
    await gzip(encodeIdx(labels, [chosen.length])),
  );
  console.log(`${split}: ${chosen.length} images (${perClass} per class) from ${source.dir}`);
}
