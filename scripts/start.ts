/**
 * `npm start`: the local sandbox running the sample flow "every answered call becomes a row in an
 * Excel table". Starts the mock PBX, the connector gateway (with script.csx through Mono) and the
 * flow runtime, plays a day of call traffic in seconds, writes out/calls.xlsx and prints a summary.
 *   --brand <slug> the brand's connector (default: the primary, Zvanu Parvaldnieks); the mock PBX
 *                  stands in for that brand's host
 *   --serve        keep everything running afterwards and print the URLs (Ctrl+C stops)
 *   --seed <n>     another deterministic day
 *   --calls <n>    calls per day (default 400)
 *   --out <file>   workbook path (default out/calls.xlsx)
 */
import * as path from 'path';
import { brandLayout, findBrand, primaryBrand } from '../connector/brand';
import { ScriptHost } from '../script-host/host';
import { SandboxConnector } from '../sandbox/connector';
import { runSampleDay } from '../sandbox/sample';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function bar(fraction: number, width = 24): string {
  const full = Math.round(fraction * width);
  return '#'.repeat(full) + '.'.repeat(width - full);
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const serve = process.argv.includes('--serve');
  const workbook = path.resolve(option('--out') ?? path.join(root, 'out', 'calls.xlsx'));
  const named = option('--brand');
  if (process.argv.includes('--brand') && (named === undefined || named.startsWith('--'))) throw new Error('--brand needs a value (a brand slug, e.g. mobili-stotele)');
  const brand = named === undefined ? primaryBrand : findBrand(named);
  const folder = path.join(root, brandLayout(brand).dir);
  let connector = SandboxConnector.fromFolder(folder, brand.title);
  console.log(`${brand.title} ${brand.version}: the connector in ${path.relative(root, folder) || '.'}/, a mock PBX standing in for ${brand.host}`);
  const t0 = Date.now();
  let host: ScriptHost | undefined;
  if (connector.hasScript) {
    console.log('Compiling script.csx with Mono and starting the script host…');
    host = new ScriptHost({ scriptPath: connector.scriptPath });
    try {
      await host.start();
    } catch (e) {
      // Still show the flow, but say loudly that the custom code did not run.
      console.warn(`WARNING: the script host could not start (${(e as Error).message.split('\n')[0]}).`);
      console.warn('         Run `npm run setup` (installs Mono and Newtonsoft.Json). Continuing WITHOUT the custom code.');
      host = undefined;
      connector = SandboxConnector.fromFolder(folder, brand.title, { withScript: false });
    }
  } else {
    console.log('No script.csx: the gateway forwards requests without custom code.');
  }
  console.log('Playing a day of call traffic through the mock PBX (virtual time):');
  const summary = await runSampleDay({
    connector,
    scriptHost: host,
    pbxHost: brand.host,
    workbook,
    seed: option('--seed') !== undefined ? Number(option('--seed')) : undefined,
    callsPerDay: option('--calls') !== undefined ? Number(option('--calls')) : undefined,
    keep: serve,
    progress: (p) =>
      process.stdout.write(
        `  [${bar(p.fraction)}] ${p.clock.slice(0, 16).replace('T', ' ')}  calls ${String(p.calls).padStart(4)}  rows ${String(p.rows).padStart(4)}` +
          `${p.final ? '  (last calls finished)' : ''}\n`,
      ),
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('');
  console.log(`Day played: ${summary.from} → ${summary.to} in ${seconds} s`);
  console.log(`  calls ${summary.calls}, answered ${summary.answered}; events delivered ${summary.events}, runs ${summary.runs}, events refused ${summary.eventsRejected}`);
  console.log(`  gateway calls ${summary.gatewayCalls}, PBX calls ${summary.pbxCalls}, webhooks left on the PBX ${summary.webhooksLeft}`);
  console.log(`Workbook: ${path.relative(process.cwd(), summary.workbook) || summary.workbook} (table AnsweredCalls, ${summary.rows} rows)`);
  if (serve && summary.sandbox) {
    const sb = summary.sandbox;
    console.log('');
    console.log('Serving (Ctrl+C to stop):');
    console.log(`  connector gateway  ${sb.connection.url}/  (e.g. GET ${sb.connection.url}/trigger/call_history?limit=5)`);
    console.log(`  mock PBX           ${sb.pbx.baseUrl}  for ${brand.host} (header "Authorization: Bearer ${sb.apiKey}", a throwaway key)`);
    console.log(`  flow callbacks     ${sb.runtime.callbackOrigin}/workflows/…`);
    console.log('  time now follows the wall clock (rate-limit windows, polls).');
    const stopClock = sb.followRealTime();
    const stop = async () => {
      stopClock();
      await sb.stop();
      await host?.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    return;
  }
  await host?.stop();
}

main().catch((e: Error) => {
  console.error(`npm start failed: ${e.message}`);
  process.exit(1);
});
