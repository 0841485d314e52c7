import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import { clip, droppedMarker, readBounded } from "./bounded.ts";

const stream = (...chunks: string[]) => ReadableStream.from(chunks.map((c) => new TextEncoder().encode(c)));

describe("bounded reading", () => {
  it("keeps a short stream whole", async () => {
    assertEquals(await readBounded(stream("ab", "cd"), { head: 10, tail: 10 }), { text: "abcd", dropped: 0 });
  });

  it("keeps the head and the tail of a long stream, across chunk and ring boundaries", async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(7));
    const all = chunks.join("");
    for (const [head, tail] of [[5, 3], [0, 11], [13, 0], [7, 7], [1, 350]]) {
      const { text, dropped } = await readBounded(stream(...chunks), { head, tail });
      const kept = Math.min(all.length, head + tail);
      assertEquals(dropped, all.length - kept, `${head}/${tail}`);
      const expected = dropped
        ? all.slice(0, head) + droppedMarker(dropped) + all.slice(all.length - tail)
        : all;
      assertEquals(text, expected, `${head}/${tail}`);
    }
  });

  it("reads a stream of 64 MiB to its end in constant memory", async () => {
    const chunk = new Uint8Array(1 << 20).fill(120);
    const big = ReadableStream.from((function* () {
      for (let i = 0; i < 64; i++) yield chunk;
    })());
    const { text, dropped } = await readBounded(big, { head: 1024, tail: 1024 });
    assertEquals(dropped, 64 * (1 << 20) - 2048);
    assertEquals(text.length, 2048 + droppedMarker(dropped).length);
  });

  it("clips text to its start and end", () => {
    assertEquals(clip("0123456789", 4), `01${droppedMarker(6, "characters")}89`);
    assertEquals(clip("0123", 4), "0123");
  });
});
