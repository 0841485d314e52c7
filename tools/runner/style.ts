/**
 * Terminal styling that turns itself off when it should: colours only when standard output is a terminal
 * and `NO_COLOR` is not set (https://no-color.org), so piped output and CI logs carry no escape codes.
 *
 * @example Usage
 * ```ts
 * import { makeStyle } from "./style.ts";
 * const plain = makeStyle(false);
 * console.log(plain.red("failed")); // "failed"
 * ```
 * @module
 */

/** Colour functions; each returns its text unchanged when colours are off. */
export interface Style {
  /** Failures. */
  red(text: string): string;
  /** Passes. */
  green(text: string): string;
  /** Warnings and values outside a reference range. */
  yellow(text: string): string;
  /** Secondary text. */
  dim(text: string): string;
  /** Headings. */
  bold(text: string): string;
}

const codes = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] } as const;

/**
 * A {@linkcode Style} with colours on or off.
 *
 * @example Usage
 * ```ts
 * import { makeStyle } from "./style.ts";
 * console.log(JSON.stringify(makeStyle(true).green("ok"))); // "\u001b[32mok\u001b[39m"
 * ```
 * @param colour Whether to colour.
 * @returns The style.
 */
export function makeStyle(colour: boolean): Style {
  const paint = (name: keyof typeof codes) => (text: string) =>
    colour ? `\x1b[${codes[name][0]}m${text}\x1b[${codes[name][1]}m` : text;
  return {
    red: paint("red"),
    green: paint("green"),
    yellow: paint("yellow"),
    dim: paint("dim"),
    bold: paint("bold"),
  };
}

/**
 * Whether this process should colour its standard output: it is a terminal and `NO_COLOR` is unset.
 *
 * @example Usage
 * ```ts
 * import { colourWanted } from "./style.ts";
 * console.log(typeof colourWanted()); // "boolean"
 * ```
 * @returns Whether to colour.
 */
export function colourWanted(): boolean {
  return Deno.stdout.isTerminal() && !Deno.noColor;
}
