/**
 * `deno task soak repro|katas [--runs N] …`: counts crashes at exit over many runs (see RELIABILITY.md and
 * `tools/reliability/soak.ts`).
 *
 * @module
 */
import { cli } from "../catalog/katas.ts";
import { main } from "../reliability/soak.ts";

await cli(() => main(Deno.args));
