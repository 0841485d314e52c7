/**
 * What long-running tools show on a terminal.
 *
 * `progress_bar.ts`: a progress bar on a terminal, a line every few seconds otherwise.
 *
 * @example Usage
 * ```ts
 * import { createProgress } from "@lib/console/mod.ts";
 * const progress = createProgress("none");
 * progress.start("nothing shown", 1);
 * progress.stop();
 * ```
 * @module
 */
export * from "./progress_bar.ts";
export * from "./markdown_table.ts";
