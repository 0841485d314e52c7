/**
 * `deno task fixtures [NAME…] [--check]`: regenerates the committed ONNX models in `fixtures/models/` (see `tools/fixtures/fixtures.ts`).
 *
 * @module
 */
import { main } from "../fixtures/fixtures.ts";

Deno.exit(await main());
