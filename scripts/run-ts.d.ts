/** Types of scripts/run-ts.js (plain JavaScript: it runs before any TypeScript can). */
/** Installs the content-addressed `.ts` loader for the project at `root` (idempotent). */
export function installTsCache(root: string): void;
