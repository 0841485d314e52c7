/**
 * Reads what a graded process prints without trusting its size: the first and the last bytes
 * of a stream are kept, the middle is counted and dropped, so a test that prints gigabytes
 * costs the grader a few megabytes and a report still has both its start and its end (Deno
 * prints the tests that were pending, and V8 its out-of-memory notice, last). Text is cut
 * to a limit the same way: {@linkcode clip}.
 *
 * @example Usage
 * ```ts
 * import { readBounded } from "./bounded.ts";
 * const stream = ReadableStream.from([new TextEncoder().encode("a".repeat(100) + "END")]);
 * const { text, dropped } = await readBounded(stream, { head: 10, tail: 3 });
 * console.log(text, dropped); // "aaaaaaaaaa\n… 90 bytes not read …\nEND" 90
 * ```
 * @module
 */

/** How much of a stream to keep. */
export interface Bounds {
  /** Bytes kept from the start. */
  head: number;
  /** Bytes kept from the end. */
  tail: number;
}

/** What {@linkcode readBounded} kept. */
export interface BoundedText {
  /** The head, a marker line when bytes were dropped, and the tail. */
  text: string;
  /** Bytes dropped from the middle. */
  dropped: number;
}

/**
 * The marker put where text was left out.
 *
 * @example Usage
 * ```ts
 * import { droppedMarker } from "./bounded.ts";
 * console.log(droppedMarker(2048)); // "\n… 2048 bytes not read …\n"
 * ```
 * @param count How many bytes or characters.
 * @param unit What was counted.
 * @returns The marker.
 */
export function droppedMarker(count: number, unit = "bytes"): string {
  return `\n… ${count} ${unit} not read …\n`;
}

/**
 * Reads a stream to its end, keeping at most `head + tail` bytes.
 *
 * @example Usage
 * ```ts ignore
 * import { readBounded } from "./bounded.ts";
 * const out = await readBounded(child.stdout, { head: 8 << 20, tail: 1 << 20 });
 * ```
 * @param stream The stream (it is read to its end, so the writer never blocks).
 * @param bounds Bytes to keep from the start and from the end.
 * @returns The kept text and how many bytes were dropped.
 */
export async function readBounded(stream: ReadableStream<Uint8Array>, bounds: Bounds): Promise<BoundedText> {
  const head = new Uint8Array(bounds.head);
  let headLength = 0;
  const tail = new Uint8Array(bounds.tail);
  let tailLength = 0; // bytes in the ring, at most tail.length
  let tailEnd = 0; // next write position in the ring
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    let rest = chunk;
    if (headLength < head.length) {
      const take = Math.min(head.length - headLength, rest.length);
      head.set(rest.subarray(0, take), headLength);
      headLength += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || tail.length === 0) continue;
    if (rest.length >= tail.length) {
      tail.set(rest.subarray(rest.length - tail.length));
      tailEnd = 0;
      tailLength = tail.length;
      continue;
    }
    const first = Math.min(rest.length, tail.length - tailEnd);
    tail.set(rest.subarray(0, first), tailEnd);
    tail.set(rest.subarray(first), 0);
    tailEnd = (tailEnd + rest.length) % tail.length;
    tailLength = Math.min(tail.length, tailLength + rest.length);
  }
  let ordered = tail.subarray(0, tailLength);
  if (tailLength === tail.length && tailEnd > 0) {
    ordered = new Uint8Array(tail.length);
    ordered.set(tail.subarray(tailEnd));
    ordered.set(tail.subarray(0, tailEnd), tail.length - tailEnd);
  }
  const decoder = new TextDecoder();
  const dropped = total - headLength - tailLength;
  const start = decoder.decode(head.subarray(0, headLength));
  const end = decoder.decode(ordered);
  return { text: dropped > 0 ? `${start}${droppedMarker(dropped)}${end}` : start + end, dropped };
}

/**
 * Cuts text to `limit` characters, keeping its start and end and saying how much was left out.
 *
 * @example Usage
 * ```ts
 * import { clip } from "./bounded.ts";
 * console.log(clip("abcdefghij", 6)); // "abc\n… 4 characters not read …\nhij"
 * console.log(clip("short", 6)); // "short"
 * ```
 * @param text Any text.
 * @param limit The most characters kept (the marker comes on top).
 * @returns The text, cut when longer than `limit`.
 */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const head = Math.ceil(limit / 2);
  const tail = limit - head;
  return `${text.slice(0, head)}${droppedMarker(text.length - limit, "characters")}${
    tail > 0 ? text.slice(-tail) : ""
  }`;
}
