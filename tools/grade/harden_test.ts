import { assertEquals } from "@std/assert";
import { describe, it } from "@std/testing/bdd";

/** Runs `body` in a fresh Deno process after `hardenRealm()` and returns what it printed as JSON. */
async function hardened(body: string): Promise<unknown> {
  const harden = new URL("./harden.ts", import.meta.url).href;
  const code = `import { hardenRealm, loadEarlyBuiltins } from "${harden}";
    await loadEarlyBuiltins();
    hardenRealm();
    ${body}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(text);
}

describe("hardenRealm", () => {
  it("makes the intrinsics and Deno read-only: every patch an attack needs fails", async () => {
    const attempts = {
      "Promise.prototype.then": "Promise.prototype.then = () => {}",
      "Promise.prototype.constructor":
        "Object.defineProperty(Promise.prototype, 'constructor', { get: () => Object })",
      "Object.prototype.then": "Object.defineProperty(Object.prototype, 'then', { value: 1 })",
      "Math.abs": "Math.abs = () => 0",
      "globalThis.Math": "globalThis.Math = {}",
      "Object.is": "Object.is = () => true",
      "Array.prototype.some": "Array.prototype.some = () => false",
      "Symbol.hasInstance": "Object.defineProperty(RangeError, Symbol.hasInstance, { value: () => true })",
      "iterators": "Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true })",
      "Deno": "globalThis.Deno = {}",
      "Deno.test": "Deno.test = () => {}",
      "Deno.env.get": "Deno.env.get = () => '1'",
      "performance.now": "Object.getPrototypeOf(performance).now = () => 0",
    };
    const script = `const blocked = {};
      for (const [name, patch] of Object.entries(${JSON.stringify(attempts)})) {
        try { eval(patch); blocked[name] = false; } catch { blocked[name] = true; }
      }
      console.log(JSON.stringify(blocked));`;
    assertEquals(await hardened(script), Object.fromEntries(Object.keys(attempts).map((k) => [k, true])));
  });

  it("every node: module Deno has still loads afterwards", async () => {
    const script = `import { builtinModules } from "node:module";
      const failed = [];
      for (const name of builtinModules) {
        try { await import("node:" + name); } catch (error) {
          if (!/No such built-in module/.test(String(error))) failed.push(name + ": " + error);
        }
      }
      console.log(JSON.stringify(failed));`;
    assertEquals(await hardened(script), []);
  });

  it("keeps what ordinary code does: subclassing errors, overriding toString, seeding Math.random", async () => {
    const script = `class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; } }
      function Legacy() {}
      Legacy.prototype.toString = function () { return "legacy"; };
      const plain = {}; plain.toString = () => "plain"; plain.constructor = Legacy;
      const random = Math.random; Math.random = () => 0.25; const seeded = Math.random(); Math.random = random;
      Error.stackTraceLimit = 20;
      console.log(JSON.stringify([new MyError("m").name, String(new Legacy()), String(plain), seeded, Object.isFrozen(Array.prototype)]));`;
    assertEquals(await hardened(script), ["MyError", "legacy", "plain", 0.25, true]);
  });
});
