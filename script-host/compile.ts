// Compiles script.csx UNCHANGED with Mono's mcs into a long-lived runner, cached by content hash.
// Three assemblies keep the script honest: it sees only the platform surface (ScriptPlatform.dll),
// never the host (ScriptHostRunner.exe, which loads it by reflection), just as on the platform.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = path.resolve(__dirname, '..');
const csharpDir = path.join(__dirname, 'csharp');
export const platformSource = path.join(csharpDir, 'Platform.cs');
export const runnerSource = path.join(csharpDir, 'Runner.cs');
export const virtualTimeSource = path.join(csharpDir, 'VirtualTime.cs');

/** C# 7: what both Mono's mcs and the platform compile. */
const languageVersion = '7';

export interface CompileOptions {
  /** Defaults to script.csx at the top level. */
  scriptPath?: string;
  /** Defaults to <repo>/.cache/script-host (gitignored). */
  cacheDir?: string;
  /**
   * 'virtual': the script is compiled against csharp/VirtualTime.cs, whose Stopwatch and
   * CancellationTokenSource take the place of the system's (the source is unchanged), so that its
   * time moves only with the backend's latencies. Default 'wall'.
   */
  clock?: 'wall' | 'virtual';
}

export interface CompiledHost {
  /** The runner (host + platform surface); the same for every script. */
  exePath: string;
  /** The compiled script.csx, loaded by the runner. */
  scriptPath: string;
  /** mcs warnings about script.csx (file(line,col): warning CSxxxx: ...). */
  scriptWarnings: string[];
  /** false when the cache already held this exact build of the script. */
  compiled: boolean;
}

export class ScriptCompileError extends Error {
  constructor(
    readonly assembly: string,
    readonly output: string,
  ) {
    super(`mcs could not compile ${assembly}:\n${output}`);
    this.name = 'ScriptCompileError';
  }
}

export function findNewtonsoftJson(): string {
  const fromEnv = process.env.NEWTONSOFT_JSON_DLL;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const cli = '/usr/lib/cli';
  const candidates = fs.existsSync(cli)
    ? fs
        .readdirSync(cli)
        .filter((name) => name.startsWith('Newtonsoft.Json'))
        .map((name) => path.join(cli, name, 'Newtonsoft.Json.dll'))
        .filter((file) => fs.existsSync(file))
        .sort()
    : [];
  const found = candidates[candidates.length - 1];
  if (!found) {
    throw new Error('Newtonsoft.Json.dll not found: run `npm run setup` (installs libnewtonsoft-json-cil-dev) or set NEWTONSOFT_JSON_DLL.');
  }
  return found;
}

function hashOf(parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 20);
}

async function mcs(args: string[], assembly: string): Promise<string> {
  try {
    const { stdout, stderr } = await run('mcs', [`-langversion:${languageVersion}`, '-nologo', ...args], { maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('mcs (Mono C# compiler) not found: run `npm run setup`.');
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim();
    const hint = /System\.Net\.Http\.dll' could not be found/.test(output) ? '\nSystem.Net.Http is missing: run `npm run setup` (apt-get install libmono-system-net-http4.0-cil).' : '';
    throw new ScriptCompileError(assembly, output + hint);
  }
}

const warningLines = (output: string, file: string): string[] =>
  output.split('\n').filter((line) => line.includes(': warning ') && line.includes(path.basename(file)));

/**
 * What virtual time cannot drive (csharp/VirtualTime.cs): a wait of its own length in real time. A wait that a
 * token ends (Task.Delay(Timeout.Infinite, token)) runs on the virtual clock, since its deadlines cancel the token.
 */
export function virtualTimeRefusals(source: string, file: string): string[] {
  const refusals: string[] = [];
  source.split('\n').forEach((line, index) => {
    const code = line.replace(/\/\/.*$/, '');
    for (const match of code.matchAll(/\b(Task\.Delay|Thread\.Sleep)\s*\(\s*([^,)]*)/g)) {
      if (match[1] === 'Task.Delay' && match[2].trim() === 'Timeout.Infinite') continue;
      refusals.push(`${file}(${index + 1}): ${match[1]}(${match[2].trim()}) waits in real time, which the virtual clock cannot move: wait on a token (Task.Delay(Timeout.Infinite, token) with CancelAfter) instead`);
    }
  });
  return refusals;
}

/**
 * Builds into a private folder, then renames it into place: a cache folder that exists is complete,
 * and several test workers may build the same thing at once.
 */
async function buildOnce(finalDir: string, build: (workDir: string) => Promise<void>): Promise<boolean> {
  if (fs.existsSync(finalDir)) return false;
  const workDir = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(workDir, { recursive: true });
  try {
    await build(workDir);
    try {
      fs.renameSync(workDir, finalDir);
    } catch (error) {
      if (!fs.existsSync(finalDir)) throw error;
      fs.rmSync(workDir, { recursive: true, force: true }); // another process won the race
    }
    return true;
  } catch (error) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** Drops builds of earlier script versions not used for a day (the cache is gitignored). */
function prune(dir: string, keep: string): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of fs.readdirSync(dir)) {
    const entry = path.join(dir, name);
    if (entry === keep) continue;
    try {
      if (fs.statSync(entry).mtimeMs < dayAgo) fs.rmSync(entry, { recursive: true, force: true });
    } catch {
      // raced with another process: nothing to do
    }
  }
}

/** Compiles (or reuses) the runner and the given script. Safe when several processes compile at once. */
export async function compileScriptHost(options: CompileOptions = {}): Promise<CompiledHost> {
  const sourcePath = path.resolve(options.scriptPath ?? path.join(repoRoot, 'script.csx'));
  const cacheDir = options.cacheDir ?? path.join(repoRoot, '.cache', 'script-host');
  const newtonsoft = findNewtonsoftJson();
  const common = ['-r:System.Net.Http.dll', `-r:${newtonsoft}`];

  // The runner and the platform surface: rebuilt only when the host's C# changes.
  const hostKey = hashOf([languageVersion, newtonsoft, ...[platformSource, runnerSource, virtualTimeSource].map((file) => fs.readFileSync(file, 'utf8'))]);
  const hostDir = path.join(cacheDir, `host-${hostKey}`);
  const platformDll = path.join(hostDir, 'ScriptPlatform.dll');
  const virtualTimeDll = path.join(hostDir, 'VirtualTime.dll');
  await buildOnce(hostDir, async (work) => {
    await mcs(['-target:library', `-out:${path.join(work, 'ScriptPlatform.dll')}`, '-r:System.Net.Http.dll', platformSource], 'ScriptPlatform.dll');
    await mcs(['-target:library', `-out:${path.join(work, 'VirtualTime.dll')}`, virtualTimeSource], 'VirtualTime.dll');
    await mcs(['-target:exe', `-out:${path.join(work, 'ScriptHostRunner.exe')}`, ...common, `-r:${path.join(work, 'ScriptPlatform.dll')}`, `-r:${path.join(work, 'VirtualTime.dll')}`, runnerSource], 'ScriptHostRunner.exe');
  });

  // The script, compiled as is (mcs does not mind the .csx extension) against the platform surface only
  // (and, in virtual time, the clock that stands in for the system's).
  const clock = options.clock ?? 'wall';
  if (clock === 'virtual') {
    const refusals = virtualTimeRefusals(fs.readFileSync(sourcePath, 'utf8'), path.basename(sourcePath));
    if (refusals.length > 0) throw new ScriptCompileError(`${path.basename(sourcePath)} (virtual time)`, refusals.join('\n'));
  }
  const scriptDir = path.join(hostDir, 'scripts', hashOf([fs.readFileSync(sourcePath, 'utf8'), clock]));
  const compiled = await buildOnce(scriptDir, async (work) => {
    const references = [`-r:${platformDll}`, ...(clock === 'virtual' ? [`-r:${virtualTimeDll}`] : [])];
    const output = await mcs(['-target:library', `-out:${path.join(work, 'ScriptUnderTest.dll')}`, ...common, ...references, sourcePath], path.basename(sourcePath));
    fs.writeFileSync(path.join(work, 'script-warnings.json'), JSON.stringify(warningLines(output, sourcePath)));
  });
  if (compiled) {
    prune(path.dirname(scriptDir), scriptDir);
    prune(cacheDir, hostDir);
  }
  return {
    exePath: path.join(hostDir, 'ScriptHostRunner.exe'),
    scriptPath: path.join(scriptDir, 'ScriptUnderTest.dll'),
    scriptWarnings: JSON.parse(fs.readFileSync(path.join(scriptDir, 'script-warnings.json'), 'utf8')) as string[],
    compiled,
  };
}
