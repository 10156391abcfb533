/**
 * `npm start`: the local sandbox running a shipped workflow definition, by default
 * flows/power-automate/call-answered-to-excel.json ("every answered call becomes a row in Excel").
 * Starts the mock PBX, the connector gateway (with script.csx through Mono) and the workflow
 * runtime, plays a day of call traffic in seconds, writes what the flow produces (out/calls.xlsx,
 * out/teams-outbox.jsonl, out/mail/*.eml) and prints a summary.
 *   --brand <slug> the brand's connector (default: the primary, Zvanu Parvaldnieks) from its folder;
 *                  the mock PBX stands in for that brand's host, and a Power Automate flow is run
 *                  rebranded to it (as its solution ships it)
 *   --flow <file>  the workflow definition to run (any under flows/, Power Automate or Logic Apps)
 *   --serve        keep everything running afterwards and print the URLs (Ctrl+C stops)
 *   --seed <n>     another deterministic day
 *   --calls <n>    calls per day (default 400)
 *   --out <file>   workbook path (default out/calls.xlsx); the Teams outbox and mails go beside it
 */
import * as path from 'path';
import * as fs from 'fs';
import { brandLayout, findBrand, primaryBrand } from '../connector/brand';
import type { BrandProfile } from '../connector/model/types';
import { brandFlow, SolutionError } from '../connector/package/solution';
import { ScriptHost } from '../script-host/host';
import { SandboxConnector } from '../sandbox/connector';
import { runSampleDay, type Produced } from '../sandbox/sample';
import { WorkflowError } from '../sandbox/workflow/load';
import { defaultBindings } from '../sandbox/workflow/host';

const DEFAULT_FLOW = 'flows/power-automate/call-answered-to-excel.json';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * The shipped flows name the primary brand's connector: for another brand, a Power Automate flow is
 * rebranded as its solution ships it (written to `<dir>/<slug>-<file>`); other flows are refused.
 */
function rebrandedFlow(file: string, brand: BrandProfile, dir: string): string {
  try {
    const { doc } = brandFlow({ file: path.basename(file), text: fs.readFileSync(file, 'utf8') }, brand);
    const out = path.join(dir, `${brand.slug}-${path.basename(file)}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
    return out;
  } catch (error) {
    if (!(error instanceof SolutionError)) throw error;
    throw new Error(`${path.basename(file)} cannot be run for ${brand.title}: only Power Automate flows are rebranded to another brand (${error.message}).`);
  }
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
  const shippedFlow = path.resolve(option('--flow') ?? path.join(root, DEFAULT_FLOW));
  const flowFile = brand === primaryBrand ? shippedFlow : rebrandedFlow(shippedFlow, brand, path.join(path.dirname(workbook), 'flows'));
  const bindings = { ...defaultBindings(path.dirname(workbook)), workbook };
  const shown = (p: string): string => path.relative(process.cwd(), p) || p;
  const producedText = (list: Produced[]): string => list.map((p) => `${p.label} ${String(p.count).padStart(4)}`).join('  ');
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
  console.log(`Playing a day of call traffic through the mock PBX (virtual time), flow ${shown(flowFile)}:`);
  const summary = await runSampleDay({
    connector,
    scriptHost: host,
    pbxHost: brand.host,
    flowFile,
    root,
    bindings,
    apiName: brand.apiName,
    seed: option('--seed') !== undefined ? Number(option('--seed')) : undefined,
    callsPerDay: option('--calls') !== undefined ? Number(option('--calls')) : undefined,
    keep: serve,
    progress: (p) =>
      process.stdout.write(
        `  [${bar(p.fraction)}] ${p.clock.slice(0, 16).replace('T', ' ')}  calls ${String(p.calls).padStart(4)}  runs ${String(p.runs).padStart(4)}  ${producedText(p.produced)}` +
          `${p.final ? '  (last calls finished)' : ''}\n`,
      ),
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const line = (figure: number | string, label: string, meaning: string) => console.log(`  ${String(figure).padStart(6)}  ${label.padEnd(15)} ${meaning}`);
  console.log('');
  console.log(`Day played: ${summary.from} → ${summary.to} (virtual time) in ${seconds} s; flow "${summary.flowName}" (${summary.flow})`);
  line(summary.calls, 'calls', 'calls the mock PBX handled during the day');
  line(summary.answered, 'answered', 'of those, calls an employee answered');
  line(summary.events, 'events', "webhook events the PBX posted to the flow's callback and the runtime accepted");
  line(summary.eventsRejected, 'events refused', 'events refused: malformed, not matching the trigger schema, or for an unknown subscription');
  line(summary.runs, 'runs', 'flow runs started, one per accepted event (or polled item)');
  line(summary.failedRuns, 'failed runs', `runs in which an action failed${summary.firstFailure ? ` (first: ${summary.firstFailure})` : ''}`);
  for (const p of summary.produced) line(p.count, p.label, `what the ${p.api} received from the flow's actions`);
  line(summary.gatewayCalls, 'gateway calls', 'requests the platform made to the connector (subscribe, unsubscribe, actions, polls)');
  line(summary.pbxCalls, 'PBX calls', 'requests the connector (gateway and script.csx) made to the mock PBX');
  if (serve) line(summary.webhooksLeft, 'webhooks', "subscriptions on the PBX now (the flow stays on while served)");
  else line(summary.webhooksLeft, 'webhooks left', 'subscriptions left on the PBX after the flow was deleted (more than 0 is a leak)');
  const outputs = [
    ...(summary.produced.some((p) => p.label === 'rows') ? [`${shown(bindings.workbook)} (sheet and table Calls, time zone stated in A1)`] : []),
    ...(summary.produced.some((p) => p.label === 'messages') ? [shown(bindings.teamsOutbox)] : []),
    ...(summary.produced.some((p) => p.label === 'mails') ? [`${shown(bindings.mailDir)}/*.eml`] : []),
  ];
  if (outputs.length > 0) console.log(`${serve ? 'Written when stopped' : 'Written'}: ${outputs.join(', ')}`);
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
      // The stand-ins' files are written; the subscription is not removed (the script host may be gone with Ctrl+C).
      await summary.host?.finish();
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
  if (e instanceof WorkflowError) {
    console.error(`npm start: the workflow cannot run in the sandbox:\n${e.message}`);
  } else console.error(`npm start failed: ${e.message}`);
  process.exit(1);
});
