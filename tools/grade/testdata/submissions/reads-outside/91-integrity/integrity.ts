// @ts-nocheck: hostile on purpose.
// A stub that reads what it may not through module loading, which needs no read permission:
// the hidden test's data (found from the stack of the hidden test that calls it), a file
// outside the allowed folders, /etc/passwd and /proc/self/environ (quoted back in parse
// errors), directly and from a Worker.
const json = async (spec) => {
  try {
    return `read ${spec}: ${JSON.stringify((await import(spec, { with: { type: "json" } })).default)}`;
  } catch (error) {
    return `${spec}: ${error.message}`;
  }
};

function callers() {
  return [...new Set([...new Error().stack.matchAll(/(file:\/\/\/[^\s():]+_test\.ts)/g)].map((m) => m[1]))];
}

async function fromWorker(specs) {
  const worker = new Worker(new URL("./reader_worker.ts", import.meta.url), { type: "module" });
  const answer = new Promise((resolve) => (worker.onmessage = (event) => resolve(event.data)));
  worker.postMessage(specs);
  const text = await Promise.race([answer, new Promise((resolve) => setTimeout(() => resolve("no answer"), 3000))]);
  worker.terminate();
  return text;
}

export async function lookup(key) {
  const specs = [];
  for (const test of callers()) {
    specs.push(new URL("./cases.json", test).href); // the hidden tests' data
    specs.push(new URL("../../../outside.json", test).href); // outside the repository's allowed folders
  }
  specs.push("/etc/passwd", "/proc/self/environ");
  const found = [];
  for (const spec of specs) found.push(await json(spec));
  found.push(`worker: ${await fromWorker(specs)}`);
  const secret = found.join("\n").match(/hidden-answer-\w+/);
  if (key !== "public" && secret) return secret[0];
  return found.join("\n");
}

export const mean = (..._args) => 0;
export const squares = (..._args) => [];
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
