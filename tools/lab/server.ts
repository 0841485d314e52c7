/**
 * `deno task lab`'s server: builds the lab (`site.ts`) into a temporary folder, serves it on localhost only,
 * and rebuilds the learner's bundle whenever a file under `katas/` is saved, so the page's "my code" switch
 * runs what the learner just wrote (or shows why it does not build).
 *
 * @example Usage
 * ```ts ignore
 * import { serveLab } from "./server.ts";
 * const lab = await serveLab({ port: 0 });
 * console.log(lab.url);
 * await lab.close();
 * ```
 * @module
 */
import { extname, join, normalize } from "node:path";
import { ROOT } from "../catalog/katas.ts";
import { buildBundle, buildSite, type Code } from "./site.ts";

/** Content types of the files the lab serves. */
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".gz": "application/gzip",
  ".onnx": "application/octet-stream",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * Answers a request from the files under `dir` (only those: `..` cannot leave it).
 *
 * @example Usage
 * ```ts ignore
 * import { serveFile } from "./server.ts";
 * const response = await serveFile("/tmp/lab", new Request("http://127.0.0.1/index.html"));
 * ```
 * @param dir The site folder.
 * @param request The request.
 * @returns The file, or 404.
 */
export async function serveFile(dir: string, request: Request): Promise<Response> {
  const path = decodeURIComponent(new URL(request.url).pathname);
  const relative = normalize(path === "/" ? "/index.html" : path).replace(/^\/+/, "");
  if (relative.startsWith("..")) return new Response("not found", { status: 404 });
  try {
    const body = await Deno.readFile(join(dir, relative));
    const type = TYPES[extname(relative)] ?? "application/octet-stream";
    return new Response(body, { headers: { "content-type": type, "cache-control": "no-store" } });
  } catch {
    return new Response("not found", { status: 404 });
  }
}

/** Options for {@linkcode serveLab}. */
export interface LabServerOptions {
  /** The port (0: any free one). Default 8317. */
  port?: number;
  /** The repository root. */
  root?: string;
  /** Offer the learner's code too, rebuilt on every save (default true). */
  mine?: boolean;
  /** Where to say what is happening (default `console.log`). */
  log?: (line: string) => void;
}

/** A running lab. */
export interface LabServer {
  /** The index page's URL. */
  url: string;
  /** Waits for the learner's bundle being rebuilt now, if any. */
  settled(): Promise<void>;
  /** Stops serving and watching, and removes the built files. */
  close(): Promise<void>;
}

/**
 * Builds and serves the lab.
 *
 * @example Usage
 * ```ts ignore
 * import { serveLab } from "./server.ts";
 * const lab = await serveLab({});
 * ```
 * @param options Port, root, whether to offer the learner's code.
 * @returns The running lab.
 */
export async function serveLab(options: LabServerOptions = {}): Promise<LabServer> {
  const root = options.root ?? ROOT;
  const log = options.log ?? console.log;
  const codes: Code[] = options.mine === false ? ["reference"] : ["reference", "mine"];
  const dir = await Deno.makeTempDir({ prefix: "ml-katas-lab-site-" });
  log("building the lab (the reference and your code)…");
  await buildSite(dir, { root, codes });
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 8317, signal: controller.signal, onListen: () => {} },
    (request) => serveFile(dir, request),
  );
  let rebuilding = Promise.resolve();
  let watcher: Deno.FsWatcher | undefined;
  if (codes.includes("mine")) {
    watcher = Deno.watchFs(join(root, "katas"));
    (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      for await (const event of watcher!) {
        if (!event.paths.some((p) => p.endsWith(".ts")) || event.kind === "access") continue;
        clearTimeout(timer);
        timer = setTimeout(() => {
          rebuilding = rebuilding.then(async () => {
            const built = await buildBundle(dir, "mine", { root, codes });
            log(
              built.ok
                ? "rebuilt your code: reload the page"
                : "your code does not build: the page shows why",
            );
          });
        }, 300);
      }
    })().catch(() => {});
  }
  const url = `http://127.0.0.1:${server.addr.port}/`;
  return {
    url,
    settled: () => rebuilding,
    async close() {
      watcher?.close();
      controller.abort();
      await server.finished;
      await rebuilding.catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}
