/**
 * `npm run probe-pbx -- --key <key> [--base-url …]`: about twenty read requests to the live PBX settle what
 * its documentation leaves open (the order of lists, an empty list's answer, a page cap, pages longer than
 * asked, the size of ids, headers of its own, latency, which kinds of recording link it writes), written as a PBX
 * profile (JSON) that `npm start -- --profile <file>`, `npm run bench -- --profile <file>` and the tests
 * (`ZP_PBX_PROFILE=<file> npx vitest run test/profiles`) accept, plus a short report beside it. The work is
 * sandbox/pbx/probe.ts; this file reads the flags and writes the two files. The key is never written.
 */
import * as fs from 'fs';
import { brands, findBrand } from '../connector/brand';
import { normaliseApiKey } from '../contract/record';
import { defineCommand, runCommand, type CliIo } from '../lib/cli';
import { writeFileAtomically } from '../lib/files';
import { stopOnSignals } from '../lib/shutdown';
import { ProbeError, probePbx, probeReport, redactKey } from '../sandbox/pbx/probe';
import { profileText } from '../sandbox/pbx/profiles';
import { brandFlag } from './brand-flag';

export const PROBE_CLI = defineCommand({
  command: 'npm run probe-pbx --',
  summary:
    'Sends about twenty read requests (GET only) to the live PBX and writes what it does where its documentation is silent ' +
    '(order of lists, an empty list, a page cap, pages longer than asked, ids beyond Int64, headers of its own, latency, ' +
    'recording links that need the key or not) as a PBX profile for the sandbox, the tests and the bench, with a report beside it. ' +
    'Stops on Ctrl+C or SIGTERM without writing anything.',
  flags: {
    key: { type: 'string', env: 'ZP_API_KEY', valueName: '<key>', description: 'the API key ("<key>" or "Bearer <key>"); required. It is sent only to the PBX and never written' },
    'base-url': { type: 'string', valueName: '<URL>', description: "the PBX's API (default https://<the brand's host>/api/v2/)" },
    brand: brandFlag("whose PBX to probe when --base-url is not given (its host)"),
    out: { type: 'path', valueName: '<file>', default: 'out/pbx-profile.json', description: 'the profile to write; the report goes beside it (.md)' },
    name: { type: 'string', valueName: '<name>', description: "the profile's name, kebab-case (default probed-<host>); the bench suffixes its figures with it" },
    timeout: { type: 'integer', min: 1, max: 600_000, default: 15_000, valueName: '<ms>', description: 'per-request timeout in milliseconds' },
  },
  notes: [
    'Read requests only: two pages of 20 calls, calls without limit, with limit=1000 and the page after it, calls from a date ' +
      'in the future, 20 recordings and one link of each shape among them (with the key only when the link is on the PBX\'s own host; ' +
      'a redirect read, never followed with the key), a call by an ID ' +
      'that does not exist, one request with a wrong key. The files hold counts, statuses and header names, no item\'s content.',
  ],
  examples: ['ZP_API_KEY=… npm run probe-pbx', `npm run probe-pbx -- --key <key> --base-url https://${brands[0].host}/api/v2/ --out out/pbx-profile.json`],
});

export interface ProbeRun {
  key?: string;
  baseUrl?: string;
  brand: string;
  out: string;
  name?: string;
  timeout: number;
  signal?: AbortSignal;
}

/** Runs the probe and writes the profile and the report; returns the exit code (0, 1 on a probe error, 2 on a usage error). */
export async function runProbe(run: ProbeRun, io: CliIo): Promise<number> {
  const refuse = (message: string): number => {
    io.err(`probe-pbx: ${message} (npm run probe-pbx -- --help lists the flags)\n`);
    return 2;
  };
  const key = run.key === undefined ? '' : normaliseApiKey(run.key).slice('Bearer '.length);
  if (key === '') return refuse('give the API key: --key <key> (or ZP_API_KEY)');
  const brand = findBrand(run.brand);
  const baseUrl = run.baseUrl ?? `https://${brand.host}${brand.basePath}`;
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return refuse(`--base-url expects a URL such as https://${brand.host}${brand.basePath}, got ${JSON.stringify(baseUrl)}`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return refuse(`--base-url must be http(s), got ${base.protocol}`);
  if (base.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
    return refuse(`--base-url must be https (the key would travel in clear text), got ${baseUrl}`);
  }
  if (run.name !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(run.name)) return refuse(`--name expects kebab-case (a-z, 0-9, -), got ${JSON.stringify(run.name)}`);
  if (fs.existsSync(run.out) && fs.statSync(run.out).isDirectory()) return refuse(`--out expects a file, got the folder ${run.out}`);

  io.out(`Probing ${base.origin}${base.pathname} with read requests only…\n`);
  try {
    const result = await probePbx({ baseUrl: base.toString(), key, timeoutMs: run.timeout, signal: run.signal, name: run.name, progress: (line) => io.out(`  ${line}\n`) });
    const report = probeReport(result, base.hostname);
    // Nothing from the PBX reaches the files unless it passed through the probe's findings; the key never does.
    const profile = redactKey(profileText(result.profile), key);
    const reportFile = run.out.replace(/\.json$/i, '') + '.md';
    // Each through a temporary file and a rename (lib/files.ts): a signal leaves no half-written profile for --profile to read.
    writeFileAtomically(run.out, profile);
    writeFileAtomically(reportFile, redactKey(report, key));
    io.out(`\n${redactKey(report, key)}\nWritten: ${run.out} (the profile), ${reportFile} (this report).\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ProbeError)) throw e;
    io.err(`probe-pbx: ${redactKey(e.message, key)}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCommand(PROBE_CLI, async ({ flags }) => {
    const stop = new AbortController();
    // Ctrl+C or SIGTERM: the request in flight is aborted and nothing is written.
    stopOnSignals(async () => {
      stop.abort();
      process.stderr.write('probe-pbx: stopped; nothing was written\n');
    });
    const io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
    return runProbe({ key: flags.key, baseUrl: flags['base-url'], brand: flags.brand, out: flags.out, name: flags.name, timeout: flags.timeout, signal: stop.signal }, io);
  });
}
