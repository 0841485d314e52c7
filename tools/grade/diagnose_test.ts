import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";
import {
  checkFailure,
  cleanMessage,
  explainDenied,
  isDenied,
  outOfMemory,
  uncaughtErrors,
} from "./diagnose.ts";

const paths = {
  root: "/repo",
  submission: "/tmp/staged",
  scratch: "/tmp/work/scratch",
  extraTests: "/staff/hidden",
};

describe("diagnosis", () => {
  it("a failed assertion keeps its message and the frames in the learner's and the tests' code", () => {
    const raw = `AssertionError: answer(): Values are not equal.

    [Actual]: 41
    [Expected]: 42
  throw new AssertionError(msg ? \`\${msg}: \${defaultMessage}\` : defaultMessage);
        ^
    at raise (file:///repo/lib/std_compat/assert.ts:46:9)
    at answer (file:///tmp/staged/01-x/x.ts:3:9)
    at Object.fn (file:///repo/katas/01-x/x_test.ts:6:26)
    at runCase (file:///repo/lib/std_compat/bdd.ts:75:13)
    at innerWrapped (ext:cli/40_test.js:300:11)`;
    assertEquals(
      cleanMessage(raw, paths),
      `AssertionError: answer(): Values are not equal.

    [Actual]: 41
    [Expected]: 42
    at answer (<submission>/01-x/x.ts:3:9)
    at Object.fn (katas/01-x/x_test.ts:6:26)`,
    );
  });

  it("a denied permission says what the sandbox allows instead of Deno's advice to pass --allow-*", () => {
    for (
      const [kind, what, reason] of [
        ["read", ' to "/etc/passwd"', "may read only its kata's folder"],
        ["write", ' to "/x"', "may write only to its temporary folder"],
        ["env", ' to "HOME"', "may read only the KATA_* environment variables"],
        ["net", ' to "example.com:80"', "has no network access"],
        ["run", ' to "sh"', "may not start processes"],
        ["ffi", ' to "libc.so.6"', "may not load native libraries"],
        ["sys", ' to "hostname"', "may not read system information"],
      ]
    ) {
      const message =
        `Uncaught NotCapable: Requires ${kind} access${what}, run again with the --allow-${kind} flag`;
      assertEquals(isDenied(message), true);
      const explained = explainDenied(message);
      assertEquals(
        explained.startsWith(`permission denied: ${kind} access${what} (graded code `),
        true,
        explained,
      );
      assertEquals(explained.includes(reason), true, explained);
    }
    assertEquals(isDenied("Error: boom"), false);
  });

  it("type-check output loses Deno's advice to skip type-checking; paths become relative", () => {
    const stderr = `Check katas/01-x/x_test.ts
TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.
  return "x";
  ~~~~~~
    at file:///tmp/staged/01-x/x.ts:3:3

error: Type checking failed.

  info: The program failed type-checking, but it still might work correctly.
  hint: Re-run with --no-check to skip type-checking.

Stack backtrace:
   0: <unknown>`;
    assertEquals(
      checkFailure(stderr, paths),
      `TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n  return "x";\n  ~~~~~~\n    at <submission>/01-x/x.ts:3:3`,
    );
  });

  it("finds the error of each module that failed outside a test, and a V8 heap overflow", () => {
    const output = `Uncaught error from ./katas/01-x/x_test.ts FAILED

 ERRORS

./katas/01-x/x_test.ts (uncaught error)
error: (in promise) NotCapable: Requires env access to "HOME", run again with the --allow-env flag
    at file:///tmp/staged/01-x/x.ts:1:10
This error was not caught from a test and caused the test runner to fail on the referenced module.
`;
    assertEquals(uncaughtErrors(output, paths), [
      'permission denied: env access to "HOME" (graded code may read only the KATA_* environment variables)\n' +
      "    at <submission>/01-x/x.ts:1:10",
    ]);
    assertEquals(outOfMemory("#\n# Fatal JavaScript out of memory: Reached heap limit\n#"), true);
    assertEquals(outOfMemory("error: Test failed"), false);
  });

  it("an import the guard blocked names the path that was imported, whether loaded or type-checked", () => {
    const loaded =
      'TypeError: Requires read access to "/graded-code-may-not-import/etc/passwd", run again with the ' +
      "--allow-read flag\n    at lookup (file:///tmp/staged/01-x/x.ts:3:9)";
    assertEquals(isDenied(loaded), true);
    assertEquals(
      cleanMessage(loaded, paths),
      'permission denied: import of "/etc/passwd" (graded code may import modules only from its kata\'s folder, ' +
        "lib/, fixtures/, node_modules/ and its own files)\n    at lookup (<submission>/01-x/x.ts:3:9)",
    );
    const checked = "TS2307 [ERROR]: Cannot find module 'file:///graded-code-may-not-import/etc/passwd'.\n" +
      "    at file:///tmp/staged/01-x/x.ts:1:20\n\nerror: Type checking failed.\n";
    assertEquals(
      checkFailure(checked, paths),
      "TS2307 [ERROR]: Cannot find module '/etc/passwd' (graded code may not import it).\n" +
        "    at <submission>/01-x/x.ts:1:20",
    );
  });
});
