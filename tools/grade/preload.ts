/**
 * Preloaded into every graded test process (`deno test --preload`), before any test module,
 * so before any graded code. In order, it:
 *
 * 1. loads the test harness (`@std/assert`, `@std/testing/bdd`, `node:assert`) and the `node:`
 *    modules that change intrinsics when they load, so they initialise untouched by graded code;
 * 2. opens the record file `KATA_GRADE_OUTPUT` names and revokes write access to its folder:
 *    from then on only this module can add to the record (graded code cannot open it again);
 * 3. wraps `Deno.test` (and the steps of each test) so that what the code under test prints
 *    is recorded per test (Deno's TAP reporter drops it) and what a test throws reaches Deno
 *    in a form it can report (`thrown.ts`); records `Deno.exit()` calls and errors that
 *    escape the tests; and refuses a `Worker` asking for permissions of its own (Deno would
 *    end the whole process with exit code 70);
 * 4. freezes the intrinsics, the `Deno` namespace and `node:assert` (`harden.ts`), so graded
 *    code can neither replace the test runner nor change what an assertion decides.
 *
 * Record lines are JSON: `{"test": "suite > step", "text": "..."}` for output,
 * `{"uncaught": "...", "test": "..."}` for escaped errors, `{"exit": 0, "test": "...", "at": "..."}`
 * for `Deno.exit()`, `{"test": "...", "measure": "label", "value": 0.93}` for a measurement that
 * `lib/testing/measure.ts` printed (`KATA_MEASURE=report`; kept apart from the output). The
 * grader reads them (`output.ts`). The sandbox lets a graded process load
 * only the local modules `graded_run.ts` lists in `PRELOAD_MODULES`: keep that list in step with
 * this module's imports (a test checks it).
 *
 * @module
 */
import * as stdAssert from "@std/assert";
import * as bdd from "@std/testing/bdd";
import nodeAssert from "node:assert";
import { dirname } from "node:path";
import { freezeShallow, hardenRealm, loadEarlyBuiltins } from "./harden.ts";
import { MAX_RECORD_BYTES } from "./output.ts";
import { describeThrown, safeThrown } from "./thrown.ts";

/** The folder of the grader's modules, whose stack frames a `Deno.exit()` record skips. */
const HERE = new URL(".", import.meta.url).href;

/** Most characters recorded per test (the report keeps fewer). */
const LIMIT = 4000;

/** Most measurements recorded per run. */
const MAX_MEASURES = 1000;

type TestFn = (t: Deno.TestContext) => void | Promise<void>;
type Args = unknown[];

await loadEarlyBuiltins();

const names: string[] = []; // the test running now, as its name path
let last = ""; // the test that started last: where an escaped error most likely came from
const write = openRecord(Deno.env.get("KATA_GRADE_OUTPUT"));
installRecorders();
installTest();
installExit();
installWorker();
freezeShallow(nodeAssert);
freezeShallow(nodeAssert.strict);
freezeShallow({ ...stdAssert, ...bdd }); // the functions and AssertionError (and its prototype)
hardenRealm();

/** Opens the record file, revokes write access to its folder, and returns a bounded writer. */
function openRecord(path: string | undefined): (record: Record<string, unknown>) => void {
  if (!path) return () => {};
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, create: true, append: true });
  } catch {
    return () => {};
  } finally {
    Deno.permissions.revokeSync({ name: "write", path: dirname(path) });
  }
  const writeSync = file.writeSync.bind(file);
  const encoder = new TextEncoder();
  let written = 0;
  return (record) => {
    const bytes = encoder.encode(`${JSON.stringify(record)}\n`);
    if (written + bytes.length > MAX_RECORD_BYTES) return;
    written += bytes.length;
    try {
      writeSync(bytes);
    } catch {
      // Output is best effort; a full disk must not fail a test.
    }
  };
}

function installRecorders(): void {
  const used = new Map<string, number>();
  let measures = 0;
  const record = (text: string) => {
    const test = names.join(" > ");
    const measure = measureOf(text);
    if (measure) {
      // A measurement (`lib/testing/measure.ts`) is recorded apart from the output, for the report's
      // `measures`; it is informational only and never decides a test's status or points.
      if (measures++ < MAX_MEASURES) write({ test, measure: measure.label, value: measure.value });
      return;
    }
    const count = used.get(test) ?? 0;
    if (count >= LIMIT) return;
    used.set(test, count + text.length);
    write({ test, text: text.slice(0, LIMIT - count) });
  };
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      try {
        record(args.map((a) => typeof a === "string" ? a.slice(0, LIMIT) : describeValue(a)).join(" "));
      } catch {
        // what cannot be displayed is not recorded
      }
      original(...args);
    };
  }
  globalThis.addEventListener("unhandledrejection", (event) => {
    write({ uncaught: `Uncaught (in promise) ${describeThrown(event.reason)}`, test: last });
  });
  globalThis.addEventListener("error", (event) => {
    write({ uncaught: `Uncaught ${describeThrown(event.error ?? event.message)}`, test: last });
  });
}

/** The measurement a printed line reports (`{"measure": label, "value": v, ...}`), if it is one. */
function measureOf(text: string): { label: string; value: number } | undefined {
  if (!text.startsWith('{"measure":') || text.length > 2000) return undefined;
  try {
    const parsed = JSON.parse(text);
    const { measure, value } = parsed;
    if (typeof measure !== "string" || typeof value !== "number" || !Number.isFinite(value)) return undefined;
    return { label: measure.slice(0, 200), value };
  } catch {
    return undefined;
  }
}

function describeValue(value: unknown): string {
  return Deno.inspect(value, { showProxy: true, colors: false }).slice(0, LIMIT);
}

/** Replaces `Deno.test` by one that tracks each test's name and makes what it throws reportable. */
function installTest(): void {
  const tracked = (name: string, fn: TestFn): TestFn => {
    const wrapper = async (t: Deno.TestContext) => {
      names.push(name);
      last = names.join(" > ");
      try {
        await fn(withTrackedSteps(t));
      } catch (error) {
        throw safeThrown(error);
      } finally {
        names.pop();
      }
    };
    Object.defineProperty(wrapper, "name", { value: fn.name });
    return wrapper;
  };
  /** Rewrites any of `Deno.test` / `t.step`'s argument forms so the body is tracked. */
  const trackArgs = (args: Args): Args => {
    const fn = args.at(-1);
    if (typeof fn === "function") {
      const first = args[0] as { name?: string } | string;
      const name = typeof first === "string" ? first : (typeof first === "object" && first.name) || fn.name;
      return [...args.slice(0, -1), tracked(String(name), fn as TestFn)];
    }
    const def = args[0] as { name: string; fn: TestFn };
    return [{ ...def, fn: tracked(String(def.name), def.fn) }];
  };
  const withTrackedSteps = (t: Deno.TestContext): Deno.TestContext =>
    new Proxy(t, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key === "step") {
          return (...args: Args) => (value as (...a: Args) => unknown).apply(target, trackArgs(args));
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });

  const original = Deno.test;
  const test = Object.assign(
    (...args: Args) => (original as (...a: Args) => void)(...trackArgs(args)),
    {
      ignore: (...args: Args) => (original.ignore as (...a: Args) => void)(...trackArgs(args)),
      only: (...args: Args) => (original.only as (...a: Args) => void)(...trackArgs(args)),
    },
  );
  Object.freeze(test);
  Object.defineProperty(Deno, "test", { value: test, writable: false, configurable: false });
}

/** Records `Deno.exit()` with the test that called it and where, then exits. */
function installExit(): void {
  const exit = Deno.exit;
  const wrapped = (code?: number): never => {
    const frames = (new Error().stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
    const at = frames.find((line) => !line.includes(HERE))?.trim();
    write({ exit: code ?? 0, test: names.join(" > "), at: at?.replace(/^at /, "").slice(0, 500) ?? "" });
    return exit(code);
  };
  Object.defineProperty(Deno, "exit", { value: wrapped, writable: false, configurable: false });
}

/** Refuses a `Worker` with permissions of its own, with a message that says so. */
function installWorker(): void {
  const Original = globalThis.Worker;
  if (typeof Original !== "function") return;
  function Worker(this: unknown, url: string | URL, options?: WorkerOptions): Worker {
    if (!new.target) throw new TypeError("Failed to construct 'Worker': use the 'new' operator");
    const deno = (options as { deno?: { permissions?: unknown } } | undefined)?.deno;
    if (deno?.permissions !== undefined && deno.permissions !== "inherit") {
      throw new Error(
        "graded code may not give a Worker permissions of its own (the `deno.permissions` option); " +
          "a Worker runs with the sandbox's permissions",
      );
    }
    return Reflect.construct(Original, [url, options], new.target);
  }
  Worker.prototype = Original.prototype;
  Object.defineProperty(Original.prototype, "constructor", {
    value: Worker,
    writable: false,
    configurable: false,
  });
  Object.freeze(Original.prototype);
  Object.freeze(Worker);
  globalThis.Worker = Worker as unknown as typeof globalThis.Worker;
}
