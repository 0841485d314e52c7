// Half right: the answer is right (3 of 9 points by weight); the rest return wrong values.
export function answer(): number {
  return 42;
}
export function readData(): Promise<string> {
  return Promise.resolve("dat");
}
export function writeScratch(): Promise<string> {
  return Promise.resolve("written");
}
export function fetchData(): Promise<string> {
  return Promise.resolve("nothing");
}
export function spawn(): Promise<string> {
  return Promise.resolve("spawned");
}
export function setting(): string {
  console.log("looking at the setting");
  return "set";
}
export function loadNative(): string {
  return "loaded";
}
