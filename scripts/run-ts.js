#!/usr/bin/env node
/**
 * `node scripts/run-ts.js <entry.ts> [args]`: runs a TypeScript entry point of the project without
 * loading TypeScript, which alone costs ~330 ms of start-up (measured with `node --cpu-prof`: two
 * thirds of a one-folder `npm run check` under ts-node). `npm run check` is started this way.
 *
 * Each project `.ts` file is transpiled once (`ts.transpileModule` with tsconfig's options, what
 * ts-node does with `transpileOnly`) and kept in `.cache/ts/` under a key made of the file's path,
 * its source, the TypeScript version and tsconfig.json. The key changes with any of them, so the
 * cache cannot go stale and needs no build step: a fresh clone transpiles on its first run (TypeScript
 * is loaded only then), every later run reads plain JavaScript. Files outside the project
 * (node_modules) are left to the loader already installed, if any.
 *
 * Plain JavaScript on purpose: it is what runs before any TypeScript can.
 */
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const LOADER_VERSION = '1';

/** An entry no run has used for this long is dropped (a later run that needs it transpiles again). */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps `.cache/ts` from growing with every edit: called at exit, only after a run that transpiled
 * something (so a run served wholly from the cache stays as fast as it was), it marks the entries this
 * run used as fresh and removes the others not used for a day (entries of earlier sources, mostly).
 */
function pruneCache(cacheDir, used) {
  const now = new Date();
  for (const file of used) {
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // gone meanwhile: nothing to keep
    }
  }
  let names;
  try {
    names = fs.readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(cacheDir, name);
    if (used.has(file)) continue;
    try {
      if (now.getTime() - fs.statSync(file).mtimeMs > PRUNE_AFTER_MS) fs.unlinkSync(file);
    } catch {
      // another run removed or replaced it: either way it is not ours to keep
    }
  }
}

/**
 * Installs the cached `.ts` loader for the project at `root` (idempotent). Under ts-node it takes
 * over the project's files; on a miss it transpiles with the TypeScript ts-node already loaded.
 */
function installTsCache(root) {
  const extensions = Module._extensions;
  const previous = extensions['.ts'];
  if (previous && previous.tsCacheRoot === root) return;
  const cacheDir = path.join(root, '.cache', 'ts');
  const tsconfigPath = path.join(root, 'tsconfig.json');
  let salt;
  try {
    const tsVersion = JSON.parse(fs.readFileSync(require.resolve('typescript/package.json', { paths: [root] }), 'utf8')).version;
    salt = `${LOADER_VERSION}\0${tsVersion}\0${fs.readFileSync(tsconfigPath, 'utf8')}`;
  } catch {
    return; // no TypeScript or no tsconfig: nothing to cache against
  }
  let compilerOptions;
  const transpile = (source, filename) => {
    const ts = require(require.resolve('typescript', { paths: [root] }));
    if (!compilerOptions) {
      const { config } = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
      compilerOptions = ts.convertCompilerOptionsFromJson((config && config.compilerOptions) || {}, root).options;
    }
    return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
  };
  const used = new Set();
  let pruneScheduled = false;
  const inProject = (filename) => filename.startsWith(root + path.sep) && !filename.includes(`${path.sep}node_modules${path.sep}`);
  const loader = function loadTs(module, filename) {
    if (!inProject(filename)) {
      if (previous) return previous(module, filename);
      throw new Error(`${filename}: no loader for TypeScript outside the project`);
    }
    const source = fs.readFileSync(filename, 'utf8');
    const key = createHash('sha256').update(salt).update('\0').update(filename).update('\0').update(source).digest('hex').slice(0, 32);
    const cached = path.join(cacheDir, `${key}.js`);
    used.add(cached);
    let code;
    try {
      code = fs.readFileSync(cached, 'utf8');
    } catch {
      code = transpile(source, filename);
      if (!pruneScheduled) {
        pruneScheduled = true;
        process.once('exit', () => pruneCache(cacheDir, used));
      }
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        // Write then rename, so that a concurrent run never reads half a file.
        const partial = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, cached);
      } catch {
        // The cache is an optimisation only (a read-only clone still runs).
      }
    }
    module._compile(code, filename);
  };
  loader.tsCacheRoot = root;
  extensions['.ts'] = loader;
}

module.exports = { installTsCache };

if (require.main === module) {
  const entry = process.argv[2];
  if (!entry) {
    process.stderr.write('usage: node scripts/run-ts.js <entry.ts> [arguments]\n');
    process.exit(2);
  }
  installTsCache(path.resolve(__dirname, '..'));
  // The entry becomes the main module, so its `require.main === module` holds and it reads its own argv.
  process.argv.splice(1, 2, path.resolve(entry));
  Module.runMain();
}
