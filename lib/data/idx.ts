/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST (gzip or raw).
 * Every problem with a file (wrong magic number, unsupported type, truncated data,
 * corrupt gzip) raises an {@linkcode IdxFormatError} naming the file and the problem.
 *
 * @example Usage
 * ```ts
 * import { decodeIdx, encodeIdx } from "@lib/data/idx.ts";
 * const bytes = encodeIdx(new Uint8Array([1, 2, 3, 4]), [2, 2]);
 * const idx = decodeIdx(bytes, "example");
 * console.log(idx.shape); // [2, 2]
 * ```
 * @module
 */

/** A decoded IDX file: unsigned bytes and their shape. */
export interface Idx {
  /** The values, row-major. */
  data: Uint8Array;
  /** Dimensions, e.g. [60000, 28, 28]. */
  shape: number[];
}

/** A malformed IDX file; the message names the file and what is wrong. */
export class IdxFormatError extends Error {
  /**
   * @param file The file (or label) that failed.
   * @param problem What is wrong and what to do.
   */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "IdxFormatError";
  }
}

const UNSIGNED_BYTE = 0x08;

/**
 * Decodes raw (not gzipped) IDX bytes holding unsigned bytes (type 0x08).
 *
 * @example Usage
 * ```ts
 * import { decodeIdx } from "@lib/data/idx.ts";
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);
 * console.log(decodeIdx(bytes, "labels").data); // Uint8Array [7, 9]
 * ```
 * @param bytes The file's bytes.
 * @param file A name for error messages.
 * @returns The data and shape.
 */
export function decodeIdx(bytes: Uint8Array, file: string): Idx {
  if (bytes.length < 4) throw new IdxFormatError(file, `only ${bytes.length} bytes: not an IDX file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) {
    throw new IdxFormatError(
      file,
      `wrong magic number 0x${view.getUint32(0).toString(16).padStart(8, "0")}: not an IDX file`,
    );
  }
  const type = bytes[2];
  const rank = bytes[3];
  if (type !== UNSIGNED_BYTE) {
    throw new IdxFormatError(
      file,
      `data type 0x${type.toString(16)} is not supported (only 0x08, unsigned byte)`,
    );
  }
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) throw new IdxFormatError(file, `truncated header (rank ${rank})`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - header;
  if (available < size) {
    throw new IdxFormatError(
      file,
      `truncated: header declares ${
        shape.join("×")
      } = ${size} values but only ${available} follow; re-download it`,
    );
  }
  if (available > size) {
    throw new IdxFormatError(file, `${available - size} unexpected bytes after ${shape.join("×")} values`);
  }
  return { data: bytes.subarray(header), shape };
}

/**
 * Encodes unsigned bytes as raw IDX (type 0x08).
 *
 * @example Usage
 * ```ts
 * import { encodeIdx } from "@lib/data/idx.ts";
 * console.log(encodeIdx(new Uint8Array([7]), [1]).length); // 9
 * ```
 * @param data The values, row-major.
 * @param shape The dimensions; their product must equal `data.length`.
 * @returns The file's bytes.
 */
export function encodeIdx(data: Uint8Array, shape: number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(`shape ${shape.join("×")} holds ${size} values, got ${data.length}`);
  }
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

async function transform(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const response = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Reads an IDX file from disk, gunzipping it when it starts with the gzip signature.
 *
 * @example Usage
 * ```ts ignore
 * import { readIdx } from "@lib/data/idx.ts";
 * const labels = await readIdx("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 * ```
 * @param path The file.
 * @returns The data and shape.
 */
export async function readIdx(path: string): Promise<Idx> {
  return await decodeIdxFile(await Deno.readFile(path), path);
}

/**
 * Fetches an IDX file (gzip or raw) from a URL: an `http(s):` one in a browser page (the lab), or a `file:`
 * one in Deno. Uses no Deno API.
 *
 * @example Usage
 * ```ts
 * import { fetchIdx } from "@lib/data/idx.ts";
 * const url = new URL("../../fixtures/fashion-mnist-mini/t10k-labels-idx1-ubyte.gz", import.meta.url);
 * console.log((await fetchIdx(url)).shape); // [1000]
 * ```
 * @param url The file's URL.
 * @returns The data and shape.
 * @throws {IdxFormatError} When the file cannot be fetched or is not an IDX file.
 */
export async function fetchIdx(url: string | URL): Promise<Idx> {
  const name = String(url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new IdxFormatError(name, `could not be fetched (${(error as Error).message})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new IdxFormatError(name, `could not be fetched (HTTP ${response.status})`);
  }
  return await decodeIdxFile(new Uint8Array(await response.arrayBuffer()), name);
}

/** Decodes a file's bytes, gunzipping them first when they start with the gzip signature. */
async function decodeIdxFile(bytes: Uint8Array, file: string): Promise<Idx> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await transform(bytes, new DecompressionStream("gzip"));
    } catch (error) {
      throw new IdxFormatError(
        file,
        `corrupt or truncated gzip data (${(error as Error).message}); re-download it`,
      );
    }
  }
  return decodeIdx(bytes, file);
}

/**
 * Gzips IDX bytes (for writing `.gz` files).
 *
 * @example Usage
 * ```ts
 * import { encodeIdx, gzip } from "@lib/data/idx.ts";
 * const gz = await gzip(encodeIdx(new Uint8Array(100), [100]));
 * console.log(gz[0] === 0x1f); // true
 * ```
 * @param bytes Bytes to compress.
 * @returns Gzipped bytes.
 */
export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return transform(bytes, new CompressionStream("gzip"));
}
