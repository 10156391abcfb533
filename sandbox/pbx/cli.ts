/**
 * Runs the mock PBX on its own, e.g. to try the recorder by hand:
 *   npx ts-node sandbox/pbx/cli.ts --key demo-key [--port 8080] [--seed 1] [--rate-limit 100/60] [--profile <name|file>]
 *   ZP_API_KEY=demo-key npm run record -- GetCallHistory --base-url <printed URL> --out /tmp/scenarios
 * Stops, closing its port, on Ctrl+C (SIGINT) or SIGTERM.
 */
import { defineCommand, runCommand } from '../../lib/cli';
import { stopOnSignals } from '../../lib/shutdown';
import { apiOptionsOf, PROFILE_FLAG, profileFromFlag } from './profiles';
import type { PbxServer } from './server';

export const PBX_CLI = defineCommand({
  command: 'npx ts-node sandbox/pbx/cli.ts',
  summary:
    'Runs the mock Zvanu Parvaldnieks PBX on its own (seeded contacts, calls, recordings…) and logs every request. ' +
    'Stops, closing its port, on Ctrl+C (SIGINT) or SIGTERM.',
  flags: {
    key: { type: 'string', env: 'ZP_API_KEY', valueName: '<key>', description: 'the API key it accepts ("<key>" or "Bearer <key>"); required' },
    port: { type: 'integer', min: 0, max: 65535, default: 0, description: 'port to listen on (0: any free port)' },
    seed: { type: 'integer', default: 1, description: 'seed of the generated data' },
    'rate-limit': { type: 'string', valueName: '<requests>/<seconds>', description: 'answer 429 beyond this many requests per window, e.g. 100/60' },
    calls: { type: 'integer', min: 0, max: 100_000, default: 40, description: 'calls in the seeded call history' },
    profile: PROFILE_FLAG,
  },
  examples: ['npx ts-node sandbox/pbx/cli.ts --key demo-key --port 8080 --rate-limit 100/60', 'npx ts-node sandbox/pbx/cli.ts --key demo-key --profile not-found-empty --calls 250'],
});

if (require.main === module) {
  runCommand(PBX_CLI, async ({ flags }) => {
    if (!flags.key) {
      console.error('mock PBX: give the key it should accept: --key <key> (or ZP_API_KEY)');
      return 2;
    }
    const rate = flags['rate-limit'];
    const m = rate === undefined ? null : /^(\d+)\/(\d+)$/.exec(rate);
    if (rate !== undefined && !m) {
      console.error(`mock PBX: --rate-limit expects <requests>/<seconds>, e.g. 100/60, got ${JSON.stringify(rate)}`);
      return 2;
    }
    const profile = profileFromFlag(flags.profile, (message) => console.error(`mock PBX: ${message}`));
    if (!profile) return 2;
    // Listening for signals before the server starts and says so: a signal right after "listening" must find the handler.
    let server: PbxServer | undefined;
    stopOnSignals(async () => {
      await server?.stop();
      console.log('mock PBX stopped; port closed');
    });
    const { startPbxServer } = await import('./server');
    server = await startPbxServer({
      ...apiOptionsOf(profile),
      apiKey: flags.key.replace(/^bearer\s+/i, ''),
      port: flags.port,
      seed: { seed: flags.seed, calls: flags.calls },
      rateLimit: m ? { requests: Number(m[1]), windowMs: Number(m[2]) * 1000 } : undefined,
    });
    server.api.onRequest((e) => console.log(`${e.request.method} ${e.request.path} → ${e.response.status} (${e.route})`));
    console.log(`mock PBX listening at ${server.baseUrl} (profile ${profile.name}: ${profile.summary})`);
  });
}
