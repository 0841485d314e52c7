// Hostile: every function tries to leave the sandbox.
import { execSync } from "node:child_process";

export function answer(): number {
  return 42;
}
export async function readData(): Promise<string> {
  return await Deno.readTextFile("/etc/passwd");
}
export async function writeScratch(): Promise<string> {
  // Outside the temporary folder: the repository itself, then /tmp.
  await Deno.writeTextFile(`${Deno.cwd()}/pwned.txt`, "pwned").catch(async () => {
    await Deno.writeTextFile("/tmp/ml-katas-grade-pwned.txt", "pwned");
  });
  return "written";
}
export async function fetchData(): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: 9 });
  conn.close();
  return (await fetch("http://example.com/")).text();
}
export async function spawn(): Promise<string> {
  const out = await new Deno.Command("/bin/sh", { args: ["-c", "echo spawned"] }).output();
  return new TextDecoder().decode(out.stdout).trim() || execSync("echo spawned").toString();
}
export function setting(): string {
  return Deno.env.get("HOME") ?? "unset";
}
export function loadNative(): string {
  Deno.dlopen("libc.so.6", {});
  return "loaded";
}
