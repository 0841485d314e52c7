import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { decodeIdx, encodeIdx, gzip, IdxFormatError, readIdx } from "./idx.ts";

async function tempFile(bytes: Uint8Array): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".gz" });
  await Deno.writeFile(path, bytes);
  return path;
}

describe("IDX files", () => {
  it("round-trips raw and gzipped data", async () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
    const raw = encodeIdx(data, [2, 3, 4]);
    assertEquals(decodeIdx(raw, "x").shape, [2, 3, 4]);
    const path = await tempFile(await gzip(raw));
    const read = await readIdx(path);
    assertEquals(Array.from(read.data), Array.from(data));
    await Deno.remove(path);
  });

  it("names a wrong magic number", () => {
    assertThrows(
      () => decodeIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0]), "f.idx"),
      IdxFormatError,
      "f.idx: wrong magic",
    );
  });

  it("names an unsupported data type", () => {
    assertThrows(
      () => decodeIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 0]), "f"),
      IdxFormatError,
      "data type 0xd",
    );
  });

  it("says a file is truncated when fewer values follow than the header declares", () => {
    const bytes = encodeIdx(new Uint8Array(10), [10]).subarray(0, 12);
    assertThrows(
      () => decodeIdx(bytes, "labels.idx"),
      IdxFormatError,
      "labels.idx: truncated: header declares 10",
    );
  });

  it("rejects trailing bytes (a count mismatch)", () => {
    const bytes = new Uint8Array([...encodeIdx(new Uint8Array(2), [2]), 9]);
    assertThrows(() => decodeIdx(bytes, "f"), IdxFormatError, "1 unexpected bytes");
  });

  it("reports corrupt gzip data with the file name", async () => {
    const gz = await gzip(encodeIdx(new Uint8Array(1000), [1000]));
    const path = await tempFile(gz.subarray(0, gz.length - 12));
    await assertRejects(() => readIdx(path), IdxFormatError, path);
    await Deno.remove(path);
  });
});
