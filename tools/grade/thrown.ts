/**
 * What a graded test threw, made safe to report. Deno's test runner formats a thrown value
 * itself, and some values defeat it: a `Proxy` whose traps throw ends the whole test module
 * (the tests after it are "cancelled"), `null`, `undefined` or a `Symbol` give an empty or
 * bare message, a 100 MB message floods the report, and a getter on `message` runs graded code
 * inside the reporter. The preload passes every value a test or step throws through
 * {@linkcode safeThrown}: ordinary errors go on unchanged; anything else is replaced by an
 * `Error` whose message says what was thrown, read without running graded code (no getter
 * is called, a Proxy is never looked into) and cut to {@linkcode THROWN_LIMIT} characters.
 *
 * @example Usage
 * ```ts
 * import { safeThrown } from "./thrown.ts";
 * console.log((safeThrown(null) as Error).message); // "the code under test threw null instead of an Error"
 * const error = new RangeError("too big");
 * console.log(safeThrown(error) === error); // true
 * ```
 * @module
 */
import { types } from "node:util";
import { clip } from "./bounded.ts";

/** The most characters of a thrown value's message or stack that are reported. */
export const THROWN_LIMIT = 8000;

const isProxy = types.isProxy;
const inspect = Deno.inspect;
const getOwn = Object.getOwnPropertyDescriptor;
const isError = (Error as unknown as { isError?: (value: unknown) => boolean }).isError ??
  ((value: unknown) => value instanceof Error);
const nativeStack = getOwn(new Error(), "stack");
const standardPrototypes = new Set<unknown>([
  Object.prototype,
  ...[Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError]
    .map((c) => c.prototype),
]);

/** Whether an error's prototype chain could run graded code when Deno reads its `name` or `message`. */
function trickyPrototypes(value: object): boolean {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (isProxy(proto)) return true;
    if (standardPrototypes.has(proto)) continue;
    for (const key of ["name", "message", "stack"]) {
      const desc = getOwn(proto, key);
      if (desc && !("value" in desc)) return true;
    }
  }
  return false;
}

/** Why a value cannot go to Deno's reporter as it is, or undefined when it can. */
function problem(value: unknown, depth: number): string | undefined {
  if (isProxy(value)) {
    return "the code under test threw a Proxy instead of an Error (the grader does not look inside it)";
  }
  if (value === null || value === undefined) return `the code under test threw ${value} instead of an Error`;
  if (typeof value === "symbol") {
    return `the code under test threw a Symbol instead of an Error: ${clip(String(value), 200)}`;
  }
  if (typeof value === "string") {
    return `the code under test threw a string instead of an Error: ${
      JSON.stringify(clip(value, THROWN_LIMIT))
    }`;
  }
  if (typeof value !== "object" && typeof value !== "function") {
    return `the code under test threw ${typeof value} ${clip(String(value), 200)} instead of an Error`;
  }
  if (!isError(value)) {
    let shown: string;
    try {
      shown = clip(inspect(value, { depth: 2, showProxy: true, colors: false }), 2000);
    } catch {
      shown = "(it cannot be displayed)";
    }
    return `the code under test threw an object instead of an Error: ${shown}`;
  }
  if (trickyPrototypes(value)) {
    return "the code under test threw an Error with getters or a Proxy in its prototypes";
  }
  const message = getOwn(value, "message");
  if (message && !("value" in message)) return "the code under test threw an Error whose message is a getter";
  if (message && typeof message.value !== "string") {
    return "the code under test threw an Error whose message is not text";
  }
  if (message && message.value.length > THROWN_LIMIT) return "long";
  const stack = getOwn(value, "stack");
  if (stack && ("value" in stack ? typeof stack.value !== "string" : stack.get !== nativeStack?.get)) {
    return "the code under test threw an Error whose stack was replaced";
  }
  for (const key of ["cause", "errors"]) {
    const extra = getOwn(value, key);
    if (!extra) continue;
    if (!("value" in extra) || depth >= 3) return "nested";
    const inner = key === "errors" && Array.isArray(extra.value) ? extra.value : [extra.value];
    if (inner.length > 20 || inner.some((v) => problem(v, depth + 1) !== undefined)) return "nested";
  }
  return undefined;
}

/** The stack (else the message) of a genuine error, read without running graded code, cut to the limit. */
function errorText(value: object): string {
  const read = (key: string) => {
    const desc = getOwn(value, key);
    if (desc && "value" in desc) return typeof desc.value === "string" ? desc.value : undefined;
    if (desc && key === "stack" && desc.get === nativeStack?.get) {
      try {
        const text = Reflect.apply(desc.get!, value, []);
        return typeof text === "string" ? text : undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
  const text = read("stack") ?? read("message") ?? "Error";
  return clip(text, THROWN_LIMIT);
}

/**
 * A description of a thrown value for a report, read without running graded code.
 *
 * @example Usage
 * ```ts
 * import { describeThrown } from "./thrown.ts";
 * console.log(describeThrown(Symbol("x"))); // "the code under test threw a Symbol instead of an Error: Symbol(x)"
 * console.log(describeThrown(new Error("boom")).startsWith("Error: boom")); // true
 * ```
 * @param value Anything thrown.
 * @returns Text of at most about {@linkcode THROWN_LIMIT} characters.
 */
export function describeThrown(value: unknown): string {
  const why = problem(value, 0);
  if (why === undefined || why === "long" || why === "nested") return errorText(value as object);
  return why;
}

/**
 * The value itself when Deno can report it as it is, else an `Error` describing it (see the
 * module doc).
 *
 * @example Usage
 * ```ts
 * import { safeThrown } from "./thrown.ts";
 * const huge = safeThrown(new Error("x".repeat(1e6))) as Error;
 * console.log(huge.stack!.length < 10_000); // true
 * ```
 * @param value Anything thrown.
 * @returns What to throw instead.
 */
export function safeThrown(value: unknown): unknown {
  const why = problem(value, 0);
  if (why === undefined) return value;
  if (why !== "long" && why !== "nested") {
    const error = new Error(why);
    error.stack = `Error: ${why}`;
    return error;
  }
  // An error too long or too deep to report as it is: its name, message and frames, cut.
  const text = errorText(value as object);
  const named = /^([\w$.]*(?:Error|Exception)): ([^\n]*)/.exec(text);
  const error = new Error(named ? named[2] : text.split("\n")[0]);
  if (named) error.name = named[1];
  error.stack = text;
  return error;
}
