// A correct submission that uses only what the sandbox allows.
export function answer(): number {
  return 42;
}
export async function readData(): Promise<string> {
  // Its own files are staged with it and readable.
  return (await Deno.readTextFile(new URL("./data.txt", import.meta.url))).trim();
}
export async function writeScratch(): Promise<string> {
  const path = await Deno.makeTempFile();
  await Deno.writeTextFile(path, "scratch");
  return (await Deno.readTextFile(path)) === "scratch" ? "written" : "lost";
}
export function fetchData(): Promise<string> {
  return Promise.resolve("fetched");
}
export function spawn(): Promise<string> {
  return Promise.resolve("spawned");
}
export function setting(): string {
  return Deno.env.get("KATA_PROBE") ?? "unset";
}
export function loadNative(): string {
  console.log("loading nothing native");
  return "loaded";
}
