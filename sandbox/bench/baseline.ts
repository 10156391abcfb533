/** Where the bench's baseline lives unless `--baseline <folder>` says otherwise (relative to the project root). */
export const DEFAULT_BASELINE = '../shared/reference/certified-connector-1.0';
