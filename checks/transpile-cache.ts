/**
 * A content-addressed cache for ts-node's transpiled output, so that `npm run check` does not
 * re-transpile the ~70 small modules of the rule engine on every run (ts.transpileModule costs
 * ~20 ms per file here, which alone would exceed the check's time budget). Only project files
 * are cached, under `.cache/ts/`, keyed by file name, source, TypeScript version and tsconfig;
 * any change misses the cache and goes through ts-node as usual.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';

type Loader = (module: NodeModule & { _compile(code: string, filename: string): unknown }, filename: string) => void;

export function installTranspileCache(root: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extensions = require.extensions as unknown as Record<string, Loader | undefined>;
  const tsLoader = extensions['.ts'];
  if (!tsLoader) return; // not running under ts-node
  const cacheDir = join(root, '.cache', 'ts');
  let salt: string;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tsVersion = (require('typescript/package.json') as { version: string }).version;
    salt = `${tsVersion}\u0000${readFileSync(join(root, 'tsconfig.json'), 'utf8')}`;
  } catch {
    return;
  }
  const inProject = (filename: string): boolean => filename.startsWith(root + sep) && !filename.includes(`${sep}node_modules${sep}`);
  extensions['.ts'] = (module, filename) => {
    if (!inProject(filename)) return tsLoader(module, filename);
    const source = readFileSync(filename, 'utf8');
    const key = createHash('sha256').update(`${salt}\u0000${filename}\u0000${source}`).digest('hex').slice(0, 32);
    const cached = join(cacheDir, `${key}.js`);
    if (existsSync(cached)) {
      module._compile(readFileSync(cached, 'utf8'), filename);
      return;
    }
    // ts-node wraps module._compile and calls the wrapped function with its output: capture it.
    const compile = module._compile;
    module._compile = function capture(this: unknown, code: string, file: string) {
      try {
        mkdirSync(cacheDir, { recursive: true });
        // Write then rename, so a concurrent run never reads half a file.
        const partial = `${cached}.${process.pid}.tmp`;
        writeFileSync(partial, code);
        renameSync(partial, cached);
      } catch {
        // The cache is an optimisation only.
      }
      return compile.call(this, code, file);
    };
    tsLoader(module, filename);
  };
}
