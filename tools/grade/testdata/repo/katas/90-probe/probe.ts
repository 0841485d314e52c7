/** The answer: 42. */
export function answer(): number {
  throw new Error("answer: not implemented");
}

/** Returns "data". */
export function readData(): Promise<string> {
  throw new Error("readData: not implemented");
}

/** Writes a scratch file under $TMPDIR and returns "written". */
export function writeScratch(): Promise<string> {
  throw new Error("writeScratch: not implemented");
}

/** Returns "fetched". */
export function fetchData(): Promise<string> {
  throw new Error("fetchData: not implemented");
}

/** Returns "spawned". */
export function spawn(): Promise<string> {
  throw new Error("spawn: not implemented");
}

/** Returns the value of KATA_PROBE, or "unset". */
export function setting(): string {
  throw new Error("setting: not implemented");
}

/** Returns "loaded". */
export function loadNative(): string {
  throw new Error("loadNative: not implemented");
}
