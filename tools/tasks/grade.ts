/**
 * `deno task grade [NAME…] [--submission DIR] …`: grades a submission kata by kata in the sandbox (see README, "For course staff", and `tools/grade/grader.ts`).
 *
 * @module
 */
import { main } from "../grade/grader.ts";

Deno.exit(await main(Deno.args));
