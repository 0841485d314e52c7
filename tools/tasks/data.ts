/**
 * `deno task data [DIR]`: downloads the four official Fashion-MNIST files into DIR
 * (default `data/fashion-mnist`, git-ignored) and checks each one parses. Without
 * internet it says what else works: the Debian package, or the committed mini subset.
 *
 * @module
 */
import { join } from "node:path";
import { readIdx } from "@lib/data/idx.ts";
import { DEBIAN_DIR, FASHION_FILES } from "@lib/data/fashion_mnist.ts";
import { ROOT } from "../catalog/katas.ts";

const BASE = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
const dir = Deno.args[0] ?? join(ROOT, "data", "fashion-mnist");
await Deno.mkdir(dir, { recursive: true });
const names = Object.values(FASHION_FILES).flatMap((f) => [f.images, f.labels]);
for (const name of names) {
  const path = join(dir, name);
  try {
    const response = await fetch(BASE + name, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    await Deno.writeFile(path, new Uint8Array(await response.arrayBuffer()));
    const { shape } = await readIdx(path);
    console.log(`${name}: ${shape.join("×")}`);
  } catch (error) {
    console.error(`could not download ${BASE + name}: ${(error as Error).message}

Without internet access, any of these works instead:
  - Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist   (files land in ${DEBIAN_DIR})
  - copy the four official .gz files into a folder and set FASHION_MNIST_DIR=/that/folder
  - do nothing: the katas use the committed subset in fixtures/fashion-mnist-mini/`);
    Deno.exit(1);
  }
}
console.log(`\nDone. Use it with: export FASHION_MNIST_DIR=${dir}`);
