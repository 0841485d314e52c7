import { assertEquals, assertRejects } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { join } from "node:path";
import { encodeIdx, gzip } from "./idx.ts";
import { FASHION_FILES, fashionMnistDir, loadFashionMnist, MINI_DIR } from "./fashion_mnist.ts";

async function fakeDataset(images: number, labels: number): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const split of ["train", "test"] as const) {
    await Deno.writeFile(
      join(dir, FASHION_FILES[split].images),
      await gzip(encodeIdx(new Uint8Array(images * 4), [images, 2, 2])),
    );
    await Deno.writeFile(
      join(dir, FASHION_FILES[split].labels),
      await gzip(encodeIdx(new Uint8Array(labels), [labels])),
    );
  }
  return dir;
}

describe("Fashion-MNIST loader", () => {
  it("the committed mini subset is class-balanced: 300 train and 100 test images per class", async () => {
    for (const [split, perClass] of [["train", 300], ["test", 100]] as const) {
      const data = await loadFashionMnist(split, { mini: true });
      assertEquals([data.rows, data.cols, data.count], [28, 28, perClass * 10]);
      const counts = new Array(10).fill(0);
      data.labels.forEach((l) => counts[l]++);
      assertEquals(counts, new Array(10).fill(perClass));
    }
  });

  it("an explicit directory wins, FASHION_MNIST_DIR comes next", async () => {
    const dir = await fakeDataset(3, 3);
    assertEquals(await fashionMnistDir({ dir }), dir);
    const saved = Deno.env.get("FASHION_MNIST_DIR");
    Deno.env.set("FASHION_MNIST_DIR", dir);
    try {
      assertEquals(await fashionMnistDir(), dir);
      assertEquals((await loadFashionMnist("test")).count, 3);
    } finally {
      saved === undefined ? Deno.env.delete("FASHION_MNIST_DIR") : Deno.env.set("FASHION_MNIST_DIR", saved);
      await Deno.remove(dir, { recursive: true });
    }
  });

  it("mini: true reads the committed subset whatever else is installed", async () => {
    assertEquals(await fashionMnistDir({ mini: true, dir: "/elsewhere" }), MINI_DIR);
  });

  it("label and image counts that disagree are reported with both files", async () => {
    const dir = await fakeDataset(3, 4);
    await assertRejects(() => loadFashionMnist("train", { dir }), Error, "4 labels for 3 images");
    await Deno.remove(dir, { recursive: true });
  });

  it("a missing file names the path and the fix", async () => {
    const dir = await Deno.makeTempDir();
    await assertRejects(() => loadFashionMnist("train", { dir }), Error, "deno task data");
    await Deno.remove(dir);
  });
});
