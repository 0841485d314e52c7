/**
 * A local stand-in for `jsr:@std/testing@^1/bdd` (the JSR registry cannot be reached
 * from the machines that build this project), built on `Deno.test` and test steps the
 * way the real module is: a top-level `describe` is one `Deno.test`, each nested `it`
 * or `describe` is a step of it, and a top-level `it` is its own `Deno.test`. It has only what
 * the katas use: `describe`, `it` and their `ignore`/`skip`/`only` forms (no hooks: the katas share setup
 * through `once()`). To use the real module, point `@std/testing/bdd` in `deno.json` at
 * `jsr:@std/testing@^1/bdd`.
 *
 * @example Usage
 * ```ts ignore
 * import { describe, it } from "@std/testing/bdd";
 * import { assertEquals } from "@std/assert";
 *
 * describe("Array", () => {
 *   it("has a length", () => assertEquals([1, 2].length, 2));
 * });
 * ```
 * @module
 */

/** A test body; may be async. */
export type TestFn = () => void | Promise<void>;

/** Options accepted by {@linkcode it} and {@linkcode describe} (a subset of `Deno.TestDefinition`). */
export interface ItOptions {
  /** Skip this test. */
  ignore?: boolean;
  /** Run only tests marked `only`. */
  only?: boolean;
  /** Check that async operations finish (default true). */
  sanitizeOps?: boolean;
  /** Check that resources are closed (default true). */
  sanitizeResources?: boolean;
  /** Check that `Deno.exit` is not called (default true). */
  sanitizeExit?: boolean;
}

interface Case {
  kind: "it";
  name: string;
  fn: TestFn;
  options: ItOptions;
}

interface Suite {
  kind: "describe";
  name: string;
  options: ItOptions;
  children: (Case | Suite)[];
  parent?: Suite;
}

let current: Suite | undefined;

function parseArgs(
  args: [string, TestFn] | [string, ItOptions, TestFn],
): [string, ItOptions, TestFn] {
  return args.length === 2 ? [args[0], {}, args[1]] : args;
}

async function runCase(c: Case): Promise<void> {
  await c.fn();
}

async function runSuite(suite: Suite, t: Deno.TestContext): Promise<void> {
  for (const child of suite.children) {
    await t.step({
      name: child.name,
      ignore: child.options.ignore ?? false,
      sanitizeOps: false,
      sanitizeResources: false,
      sanitizeExit: false,
      fn: (inner) => child.kind === "it" ? runCase(child) : runSuite(child, inner),
    });
  }
}

/**
 * Whether the tests are only being listed (`KATA_LIST_TESTS=1`, set by the kata census): then each test
 * case registers as its own ignored `Deno.test`, named by its full path (`suite > test`), and nothing runs.
 */
function listing(): boolean {
  // Read here rather than through lib/core/settings.ts: this module stands in for a package and imports nothing.
  try {
    return Deno.env.get("KATA_LIST_TESTS") === "1";
  } catch {
    return false;
  }
}

/** The full names of a suite's test cases (`suite > group > test`), in registration order; ignored ones left out. */
function leafNames(node: Case | Suite, prefix = ""): string[] {
  if (node.options.ignore) return [];
  const name = prefix + node.name;
  return node.kind === "it" ? [name] : node.children.flatMap((child) => leafNames(child, `${name} > `));
}

function register(
  node: Case | Suite,
  options: ItOptions,
  fn: (t: Deno.TestContext) => Promise<void>,
): void {
  if (listing()) {
    for (const name of leafNames(node)) Deno.test({ name, ignore: true, fn: () => {} });
    return;
  }
  const name = node.name;
  Deno.test({
    name,
    ignore: options.ignore,
    only: options.only,
    sanitizeOps: options.sanitizeOps,
    sanitizeResources: options.sanitizeResources,
    sanitizeExit: options.sanitizeExit,
    fn,
  });
}

function itImpl(...args: [string, TestFn] | [string, ItOptions, TestFn]): void {
  const [name, options, fn] = parseArgs(args);
  const c: Case = { kind: "it", name, fn, options };
  if (current) current.children.push(c);
  else register(c, options, () => runCase(c));
}

function describeImpl(...args: [string, TestFn] | [string, ItOptions, TestFn]): void {
  const [name, options, fn] = parseArgs(args);
  const suite: Suite = {
    kind: "describe",
    name,
    options,
    children: [],
    parent: current,
  };
  const parent = current;
  current = suite;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new Error(
        `describe("${name}") must be synchronous: register tests with it(), do async work inside them`,
      );
    }
  } finally {
    current = parent;
  }
  if (parent) parent.children.push(suite);
  else register(suite, options, (t) => runSuite(suite, t));
}

type Registrar = typeof itImpl & {
  /** Register and skip. */
  ignore: typeof itImpl;
  /** Alias of `ignore`. */
  skip: typeof itImpl;
  /** Register and run only this one. */
  only: typeof itImpl;
};

function withModifiers(base: typeof itImpl): Registrar {
  const modified = (extra: ItOptions) => (...args: [string, TestFn] | [string, ItOptions, TestFn]) => {
    const [name, options, fn] = parseArgs(args);
    base(name, { ...options, ...extra }, fn);
  };
  return Object.assign(base, {
    ignore: modified({ ignore: true }),
    skip: modified({ ignore: true }),
    only: modified({ only: true }),
  });
}

/**
 * Registers a test case, inside the enclosing {@linkcode describe} when there is one.
 *
 * @example Usage
 * ```ts ignore
 * import { it } from "@std/testing/bdd";
 * it("adds", () => {
 *   if (1 + 1 !== 2) throw new Error("arithmetic");
 * });
 * ```
 */
export const it: Registrar = withModifiers(itImpl);

/**
 * Registers a group of tests; a top-level group is one `Deno.test`, its members steps.
 *
 * @example Usage
 * ```ts ignore
 * import { describe, it } from "@std/testing/bdd";
 * describe("group", () => {
 *   it("works", () => {});
 * });
 * ```
 */
export const describe: Registrar = withModifiers(describeImpl);
