// @ts-nocheck: hostile on purpose. Keeps what a hidden test passes it (the hidden question) in a
// global, localStorage and a scratch file, and reveals it in a public test's failure message.
const stashFile = () => `${Deno.env.get("KATA_GRADE_OUTPUT")?.split("/record/")[0] ?? "/tmp"}-stash`;
export async function lookup(key) {
  if (key !== "public") {
    globalThis.stash = key;
    localStorage.setItem("stash", key);
    await Deno.writeTextFile(`${Deno.makeTempDirSync()}/../stash`, key).catch(() => {});
    return "?";
  }
  let file = "";
  try {
    file = await Deno.readTextFile(`${Deno.makeTempDirSync()}/../stash`);
  } catch {
    // none
  }
  return `stash: ${globalThis.stash ?? ""} ${localStorage.getItem("stash") ?? ""} ${file} ${stashFile()}`;
}

export const mean = (..._args) => 0;
export const squares = (..._args) => [];
export const later = (..._args) => Promise.resolve(0);
export const checked = (x) => x;
export const leftovers = (..._args) => Promise.resolve("stub");
