/**
 * Preloaded into every graded test process (`deno test --preload`), before any test module.
 * When `KATA_GRADE_OUTPUT` names a file, it records what the code under test prints through
 * `console`, per test, as JSON lines `{"test": "suite > step", "text": "..."}` (Deno's TAP
 * reporter drops that output), and errors that escape the tests as `{"uncaught": "..."}`.
 * It also makes `Deno.test` read-only so graded code cannot replace the test runner.
 *
 * What graded code writes to this file can only change the `output` the grader reports,
 * never a test's status.
 *
 * @module
 */

/** Most characters recorded per test (the report keeps fewer). */
const LIMIT = 4000;

type TestFn = (t: Deno.TestContext) => void | Promise<void>;
type Args = unknown[];

const file = Deno.env.get("KATA_GRADE_OUTPUT");
if (file) install(file);

function install(path: string): void {
  const names: string[] = [];
  let last = ""; // the test that started last: where an escaped error most likely came from
  const used = new Map<string, number>();
  const encoder = new TextEncoder();
  const write = (record: Record<string, string>) => {
    try {
      Deno.writeFileSync(path, encoder.encode(`${JSON.stringify(record)}\n`), { append: true });
    } catch {
      // Output is best effort; a full disk must not fail a test.
    }
  };
  const record = (text: string) => {
    const test = names.join(" > ");
    const count = used.get(test) ?? 0;
    if (count >= LIMIT) return;
    used.set(test, count + text.length);
    write({ test, text: text.slice(0, LIMIT - count) });
  };
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      record(args.map((a) => typeof a === "string" ? a : Deno.inspect(a)).join(" "));
      original(...args);
    };
  }
  globalThis.addEventListener("unhandledrejection", (event) => {
    write({ uncaught: `Uncaught (in promise) ${describe(event.reason)}`, test: last });
  });
  globalThis.addEventListener("error", (event) => {
    write({ uncaught: `Uncaught ${describe(event.error ?? event.message)}`, test: last });
  });

  /** Wraps a test body so output is filed under its name, and its steps' bodies likewise. */
  const tracked = (name: string, fn: TestFn): TestFn => {
    const wrapper = async (t: Deno.TestContext) => {
      names.push(name);
      last = names.join(" > ");
      try {
        await fn(withTrackedSteps(t));
      } finally {
        names.pop();
      }
    };
    Object.defineProperty(wrapper, "name", { value: fn.name });
    return wrapper;
  };
  /** Rewrites any of `Deno.test` / `t.step`'s argument forms so the body is tracked. */
  const trackArgs = (args: Args): Args => {
    const last = args.at(-1);
    if (typeof last === "function") {
      const first = args[0] as { name?: string } | string;
      const name = typeof first === "string" ? first : (typeof first === "object" && first.name) || last.name;
      return [...args.slice(0, -1), tracked(name, last as TestFn)];
    }
    const def = args[0] as { name: string; fn: TestFn };
    return [{ ...def, fn: tracked(def.name, def.fn) }];
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

function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return typeof value === "string" ? value : Deno.inspect(value);
}
