/**
 * `deno task lab [--port N] [--build DIR]`: serves the lab on localhost — every kata's experiment live in the
 * browser, with the reference solutions or (switch on the page) your own code from `katas/`, rebuilt on
 * every save. `--build DIR` writes the reference lab as a static site instead (GitHub Pages ready).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cli, UsageError } from "../catalog/katas.ts";
import { serveLab } from "../lab/server.ts";
import { buildSite } from "../lab/site.ts";

const USAGE = "usage: deno task lab [--port N] [--build DIR]";

await cli(async () => {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { port: { type: "string", default: "8317" }, build: { type: "string" } },
    allowPositionals: true,
  });
  const port = Number(values.port);
  if (positionals.length || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(USAGE);
  if (values.build) {
    await buildSite(values.build, { codes: ["reference"] });
    console.log(`wrote the lab to ${values.build}: serve that folder over HTTP (see README, "The lab")`);
    return 0;
  }
  const lab = await serveLab({ port });
  console.log(`the lab: ${lab.url}  (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", () => resolve()));
  await lab.close();
  return 0;
});
