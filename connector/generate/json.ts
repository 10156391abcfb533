/** The one serialisation of every generated JSON file: two spaces, LF, trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
