/**
 * The body of one wasm pthread, started by `wasm_threads.ts` as a `node:worker_threads`
 * worker. It gives tfjs's emscripten worker script the browser-worker globals it expects
 * (`self`, `importScripts`, `postMessage`, `onmessage`), hides `process` so emscripten
 * takes its web-worker path (its Node path `require`s modules a Deno worker cannot reach),
 * then runs that script and hands it the main thread's messages in order.
 *
 * `workerData.script` is the `blob:` URL of tfjs's worker script; the `load` message
 * carries the emscripten factory as a Blob, which `importScripts` evaluates. Imported
 * anywhere but in such a worker (as `deno test --doc lib/` does), it does nothing.
 *
 * @module
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";

type Listener = (event: { data: Record<string, unknown> }) => void;

const FACTORY_URL = "ml-katas:wasm-factory";

function runPthread(port: MessagePort, script: string): void {
  const scope = globalThis as unknown as Record<string, unknown>;
  let factory = "";
  let handler: Listener | undefined;

  delete scope.process;
  scope.self = globalThis;
  scope.postMessage = (message: unknown, transfer?: Transferable[]) =>
    port.postMessage(message, transfer as never);
  scope.importScripts = (url: string) => {
    if (url !== FACTORY_URL) throw new Error(`wasm thread: cannot import ${url}`);
    (0, eval)(factory);
  };
  // The worker script assigns `self.onmessage`; keep it here instead of on the web global,
  // so each message reaches it once, through the queue below.
  Object.defineProperty(globalThis, "onmessage", {
    configurable: true,
    get: () => handler,
    set: (listener: Listener) => handler = listener,
  });

  let queue: Promise<void> = fetch(script)
    .then((response) => response.text())
    .then((text) => (0, eval)(text));

  port.on("message", (data: Record<string, unknown>) => {
    queue = queue.then(async () => {
      if (data.cmd === "load" && data.urlOrBlob instanceof Blob) {
        factory = await data.urlOrBlob.text();
        data.urlOrBlob = FACTORY_URL;
      }
      handler!({ data });
    });
  });
}

const script = (workerData as { script?: string } | null)?.script;
if (parentPort && script) runPthread(parentPort, script);
