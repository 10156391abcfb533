/** Where the bench's baseline lives unless `--baseline <folder>` says otherwise (relative to the project root). */
export const DEFAULT_BASELINE = '../shared/reference/certified-connector-1.0';

/** A brand's default baseline: its own published 1.0 folder under ../shared/reference/ (`publishedReference`). */
export const defaultBaseline = (publishedReference: string): string => `../shared/reference/${publishedReference}`;
