// A correct submission; leftovers() also leaves a marker behind for the next run to find.
export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
export const squares = (n: number): number[] => Array.from({ length: n }, (_, i) => i * i);
export const later = (x: number): Promise<number> => Promise.resolve(x * x);
export function checked(x: number): number {
  if (x < 0) throw new RangeError(`checked: ${x} is negative`);
  return x;
}
export async function leftovers(): Promise<string> {
  const found = [];
  if (localStorage.getItem("marker") !== null) found.push(`localStorage: ${localStorage.getItem("marker")}`);
  if (await caches.has("marker")) found.push("a cache named marker");
  localStorage.setItem("marker", "left by an earlier run");
  await (await caches.open("marker")).put("http://marker.invalid/", new Response("left"));
  return found.length ? found.join(", ") : "none";
}
export const lookup = (key: string): Promise<string> =>
  Promise.resolve(key === "public" ? "public value" : key === "question-e41b" ? "hidden-answer-7f3a" : "?");
