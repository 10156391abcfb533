/**
 * `npm start`: the local sandbox running the sample flow "every answered call becomes a row in an
 * Excel table". Starts the mock PBX, the connector gateway (with script.csx through Mono) and the
 * flow runtime, plays a day of call traffic in seconds, writes out/calls.xlsx and prints a summary.
 */
import * as path from 'path';
import { defineCommand, runCommand } from '../lib/cli';
import { stopOnSignals } from '../lib/shutdown';
import type { SampleDaySummary } from '../sandbox/sample';

export const START_CLI = defineCommand({
  command: 'npm start --',
  summary:
    'The local sandbox: a mock PBX, the connector gateway running script.csx (through Mono) and the sample flow ' +
    '"every answered call becomes a row in an Excel table", over a day of call traffic played in seconds. ' +
    'Writes the workbook and prints a summary.',
  flags: {
    serve: { type: 'boolean', description: 'keep the mock PBX, the gateway and the flow running afterwards and print their URLs (Ctrl+C or SIGTERM stops)' },
    seed: { type: 'integer', description: 'another deterministic day of traffic', default: 7 },
    calls: { type: 'integer', min: 1, description: 'calls in the day', default: 400 },
    out: { type: 'path', valueName: '<file>', description: 'where to write the workbook', default: 'out/calls.xlsx' },
  },
  examples: ['npm start', 'npm start -- --calls 1000 --seed 7 --out /tmp/calls.xlsx', 'npm start -- --serve'],
});

function bar(fraction: number, width = 24): string {
  const full = Math.round(fraction * width);
  return '#'.repeat(full) + '.'.repeat(width - full);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The summary of the day, each figure said in words. */
export function describeDay(summary: SampleDaySummary, run: { serve: boolean; seconds: string }): string[] {
  // The flow subscribes once through the connector; the PBX then posts events straight to the flow.
  const lifecycle = run.serve
    ? 'registering the webhook when the flow was turned on'
    : 'registering the webhook when the flow was turned on and deleting it when the flow was deleted';
  return [
    `Day played: ${summary.from} → ${summary.to} in ${run.seconds} s`,
    `  ${plural(summary.calls, 'call')} placed on the mock PBX, ${summary.answered} answered`,
    `  ${plural(summary.events, 'event')} delivered by the PBX to the flow's webhook, ${plural(summary.runs, 'flow run')}, ` +
      `${summary.eventsRejected} refused by the flow's trigger (wrong shape or unknown subscription)`,
    `  gateway calls ${summary.gatewayCalls}: requests the flow made through the connector (${lifecycle}; events do not pass through it)`,
    `  PBX calls ${summary.pbxCalls}: requests the connector sent on to the mock PBX to serve them`,
    run.serve
      ? `  webhooks on the PBX ${summary.webhooksLeft}: the flow's registration, kept while serving`
      : `  webhooks left on the PBX ${summary.webhooksLeft}: registrations still there after the flow was deleted (above 0 is a leak)`,
    `Workbook: ${path.relative(process.cwd(), summary.workbook) || summary.workbook} (table AnsweredCalls, ${plural(summary.rows, 'row')}: one per answered call)`,
  ];
}

if (require.main === module) {
  runCommand(START_CLI, async ({ flags }) => {
    const { ScriptHost } = await import('../script-host/host');
    const { SandboxConnector } = await import('../sandbox/connector');
    const { runSampleDay } = await import('../sandbox/sample');
    const root = path.resolve(__dirname, '..');
    const workbook = path.resolve(root, flags.out);
    let connector = SandboxConnector.fromFolder(root, 'Zvanu Parvaldnieks');
    const t0 = Date.now();
    let host: InstanceType<typeof ScriptHost> | undefined;
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
        connector = SandboxConnector.fromFolder(root, 'Zvanu Parvaldnieks', { withScript: false });
      }
    } else {
      console.log('No script.csx: the gateway forwards requests without custom code.');
    }
    console.log('Playing a day of call traffic through the mock PBX (virtual time):');
    const summary = await runSampleDay({
      connector,
      scriptHost: host,
      workbook,
      seed: flags.seed,
      callsPerDay: flags.calls,
      keep: flags.serve,
      progress: (p) =>
        process.stdout.write(
          `  [${bar(p.fraction)}] ${p.clock.slice(0, 16).replace('T', ' ')}  calls ${String(p.calls).padStart(4)}  rows ${String(p.rows).padStart(4)}` +
            `${p.final ? '  (last calls finished)' : ''}\n`,
        ),
    });
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    console.log('');
    for (const line of describeDay(summary, { serve: flags.serve, seconds })) console.log(line);
    if (flags.serve && summary.sandbox) {
      const sb = summary.sandbox;
      const stopClock = sb.followRealTime();
      // Before the URLs are printed: whoever reads them may signal at once.
      stopOnSignals(async () => {
        stopClock();
        await sb.stop();
        await host?.stop();
        console.log('Stopped: the mock PBX, the gateway and the flow runtime are closed.');
      });
      console.log('');
      console.log('Serving (Ctrl+C or SIGTERM stops):');
      console.log(`  connector gateway  ${sb.connection.url}/  (e.g. GET ${sb.connection.url}/trigger/call_history?limit=5)`);
      console.log(`  mock PBX           ${sb.pbx.baseUrl}  (header "Authorization: Bearer ${sb.apiKey}", a throwaway key)`);
      console.log(`  flow callbacks     ${sb.runtime.callbackOrigin}/workflows/…`);
      console.log('  time now follows the wall clock (rate-limit windows, polls).');
      return;
    }
    await host?.stop();
  });
}
