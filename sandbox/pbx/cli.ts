/**
 * Runs the mock PBX on its own, e.g. to try the recorder by hand:
 *   npx ts-node sandbox/pbx/cli.ts --key demo-key [--port 8080] [--seed 1] [--rate-limit 100/60]
 *   ZP_API_KEY=demo-key npm run record -- GetCallHistory --base-url <printed URL> --out /tmp/scenarios
 * Stops on Ctrl+C.
 */
import { startPbxServer } from './server';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const apiKey = option('key') ?? process.env.ZP_API_KEY;
  if (!apiKey) {
    console.error('mock PBX: give the key it should accept: --key <key> (or ZP_API_KEY)');
    process.exitCode = 2;
    return;
  }
  const rate = option('rate-limit');
  const m = rate ? /^(\d+)\/(\d+)$/.exec(rate) : null;
  if (rate && !m) {
    console.error('mock PBX: --rate-limit expects <requests>/<seconds>, e.g. 100/60');
    process.exitCode = 2;
    return;
  }
  const server = await startPbxServer({
    apiKey: apiKey.replace(/^bearer\s+/i, ''),
    port: Number(option('port') ?? 0),
    seed: { seed: Number(option('seed') ?? 1) },
    rateLimit: m ? { requests: Number(m[1]), windowMs: Number(m[2]) * 1000 } : undefined,
  });
  server.api.onRequest((e) => console.log(`${e.request.method} ${e.request.path} → ${e.response.status} (${e.route})`));
  console.log(`mock PBX listening at ${server.baseUrl}`);
  process.once('SIGINT', () => void server.stop().then(() => process.exit(0)));
}

void main();
