/**
 * `npm start`: the local sandbox running a shipped workflow definition, by default
 * flows/power-automate/call-answered-to-excel.json ("every answered call becomes a row in Excel").
 * Starts the mock PBX, the connector gateway (with script.csx through Mono) and the workflow
 * runtime, plays a day of call traffic in seconds, writes what the flow produces (out/calls.xlsx,
 * out/teams-outbox.jsonl, out/mail/*.eml, out/onedrive/) and prints a summary. Flags: START_CLI below (or --help).
 * --brand runs that brand's connector (its folder) against a mock PBX standing in for its host.
 */
import * as fs from 'fs';
import * as path from 'path';
import { brandLayout, findBrand, primaryBrand } from '../connector/brand';
import { brandFlag } from './brand-flag';
import type { BrandProfile } from '../connector/model/types';
import { defineCommand, runCommand, type FlagValues } from '../lib/cli';
import { stopOnSignals } from '../lib/shutdown';
import { apiOptionsOf, DEFAULT_PROFILE, PROFILE_FLAG, profileFromFlag } from '../sandbox/pbx/profiles';
import type { FlowDaySummary, Produced, SampleDaySummary } from '../sandbox/sample';

const DEFAULT_FLOW = 'flows/power-automate/call-answered-to-excel.json';

export const START_CLI = defineCommand({
  command: 'npm start --',
  summary:
    'The local sandbox: a mock PBX, the connector gateway running script.csx (through Mono) and the workflow runtime ' +
    'running a shipped flow (by default "every answered call becomes a row in Excel"), or several together on one ' +
    'connection, over a day of call traffic played in seconds. Writes what the flows produce (the workbook, the Teams ' +
    'outbox and mails beside it) and prints a summary that says what each figure means, per flow.',
  flags: {
    brand: brandFlag(
      "the brand's connector (its generated folder) against a mock PBX standing in for the brand's host; a Power Automate flow runs rebranded to it, as its solution ships it",
    ),
    flow: {
      type: 'file',
      repeatable: true,
      description:
        `the workflow definition to run (any under flows/, Power Automate or Logic Apps; default ${DEFAULT_FLOW}); ` +
        'repeat it to run several flows together: one sandbox, one PBX, one connection and one set of stand-ins (one workbook, one Teams outbox), as a maker\'s flows share them',
    },
    serve: { type: 'boolean', description: 'keep the mock PBX, the gateway and the flow running afterwards and print their URLs (Ctrl+C or SIGTERM stops)' },
    seed: { type: 'integer', description: 'another deterministic day of traffic', default: 7 },
    calls: { type: 'integer', min: 1, description: 'calls per day played', default: 400 },
    days: { type: 'integer', min: 1, max: 31, description: "days of traffic to play (8 reach the weekly report's first Monday 07:00 UTC; 31 play in about half a minute)", default: 1 },
    out: { type: 'path', valueName: '<file>', description: 'where to write the workbook; the Teams outbox, mails and the OneDrive folder go beside it', default: 'out/calls.xlsx' },
    profile: PROFILE_FLAG,
  },
  examples: [
    'npm start',
    'npm start -- --flow flows/logic-apps/lost-caller-to-email/workflow.json --calls 1000 --seed 3',
    'npm start -- --serve',
    'npm start -- --flow flows/power-automate/weekly-call-report.json --days 8',
    'npm start -- --flow flows/power-automate/missed-call-callback.json --flow flows/power-automate/missed-call-reached.json',
    'npm start -- --brand mobili-stotele',
    'npm start -- --profile not-found-empty',
  ],
});

/** Failed runs listed one a line in the summary; more are counted. */
const LISTED_FAILURES = 10;

/** The day's figures, one line each, with what the figure means in words; then each failed run with its error. */
export function describeDay(summary: SampleDaySummary, run: { serve: boolean; seconds: string }): string[] {
  const line = (figure: number | string, label: string, meaning: string) => `  ${String(figure).padStart(6)}  ${label.padEnd(15)} ${meaning}`;
  // --days plays several days (the PBX's local days, so a daylight-saving change rounds to whole days).
  const days = Math.round((Date.parse(summary.to) - Date.parse(summary.from)) / (24 * 60 * 60_000));
  const one = summary.flows.length === 1;
  const played = `${days === 1 ? 'Day' : `${days} days`} played: ${summary.from} → ${summary.to} (virtual time) in ${run.seconds} s`;
  const named = (f: FlowDaySummary) => `flow "${f.flowName}" (${f.flow})`;
  /** One flow's figures: what it received and what its runs did. */
  const flowLines = (f: FlowDaySummary): string[] => [
    line(f.events, 'events', `webhook events the PBX posted to the flow's callback and the runtime accepted`),
    line(one ? summary.eventsRejected : f.eventsRejected, 'events refused', one ? 'events refused: malformed, not matching the trigger schema, or for an unknown subscription' : 'events refused: malformed or not matching the trigger schema'),
    line(f.runs, 'runs', 'flow runs started, one per accepted event (or polled item)'),
    ...noRunYet(f, summary.from, days),
    line(f.failedRuns, 'failed runs', `runs in which an action failed${f.failedRuns > 0 ? ' (listed below; the command exits 1)' : ''}`),
    ...(f.cancelledRuns > 0 ? [line(f.cancelledRuns, 'cancelled runs', 'runs still waiting for an answer (a card nobody had answered) when the flow was stopped')] : []),
  ];
  const dials = summary.dials > 0
    ? [
        line(summary.dials, 'dials', `calls the PBX placed for the flows' Dial actions, from the employee's phone (${summary.dialsAnswered} answered)`),
        line(summary.lostCallersReached, 'callers reached', 'lost callers reached during the day (called back or answered when they called again): LostCallerRemoved'),
      ]
    : [];
  const unknown = summary.eventsRejected - summary.flows.reduce((n, f) => n + f.eventsRejected, 0);
  return [
    one ? `${played}; ${named(summary.flows[0])}` : `${played}; ${summary.flows.length} flows on one connection, sharing the stand-ins`,
    line(summary.calls, 'calls', `calls the mock PBX handled during the ${days === 1 ? 'day' : `${days} days`}`),
    line(summary.answered, 'answered', 'of those, calls an employee answered'),
    ...dials,
    ...(one ? flowLines(summary.flows[0]) : summary.flows.flatMap((f) => [`  ${named(f)}:`, ...flowLines(f)])),
    ...(!one && unknown > 0 ? [line(unknown, 'events refused', 'events for no subscription of these flows')] : []),
    ...summary.produced.map((p) => line(p.count, p.label, `what the ${p.api} received from the ${one ? "flow's" : "flows'"} actions`)),
    line(summary.gatewayCalls, 'gateway calls', 'requests the platform made to the connector (subscribe, unsubscribe, actions, polls)'),
    line(summary.pbxCalls, 'PBX calls', 'requests the connector (gateway and script.csx) made to the mock PBX'),
    run.serve
      ? line(summary.webhooksLeft, 'webhooks', `subscriptions on the PBX now (the ${one ? 'flow stays' : 'flows stay'} on while served)`)
      : line(summary.webhooksLeft, 'webhooks left', `subscriptions left on the PBX after the ${one ? 'flow was' : 'flows were'} deleted (more than 0 is a leak)`),
    ...summary.flows.flatMap((f) => failureLines(f, one ? 'Failed runs' : `Failed runs of ${named(f)}`)),
  ];
}

/** Why a flow on a schedule ran 0 times: its first occurrence lies after the days played, and how many days reach it. */
function noRunYet(flow: Pick<FlowDaySummary, 'runs' | 'nextScheduledRun'>, from: string, days: number): string[] {
  if (flow.runs > 0 || flow.nextScheduledRun === undefined) return [];
  const needed = Math.ceil((Date.parse(flow.nextScheduledRun) - Date.parse(from)) / (24 * 60 * 60_000)) + 1;
  return [
    `${' '.repeat(8)}  ${''.padEnd(15)} no run yet: the flow's schedule (Recurrence) first fires at ${flow.nextScheduledRun}, after the ${days === 1 ? 'day' : `${days} days`} played;` +
      ` --days ${needed} reaches it`,
  ];
}

/** Each failed run on a line of its own, with when it started and its first failure. */
function failureLines(flow: Pick<FlowDaySummary, 'failures'>, title = 'Failed runs'): string[] {
  if (flow.failures.length === 0) return [];
  const shown = flow.failures.slice(0, LISTED_FAILURES).map((f) => `  run ${f.run} (started ${f.at.slice(0, 16).replace('T', ' ')}): ${f.error}`);
  const more = flow.failures.length - shown.length;
  return ['', `${title} (${flow.failures.length}):`, ...shown, ...(more > 0 ? [`  … and ${more} more`] : [])];
}

/**
 * The shipped flows name the primary brand's connector: for another brand, a Power Automate flow is
 * rebranded as its solution ships it (written to `<dir>/<slug>-<file>`); other flows are refused.
 */
async function rebrandedFlow(file: string, brand: BrandProfile, dir: string): Promise<string> {
  const { brandFlow, SolutionError } = await import('../connector/package/solution');
  try {
    const { doc } = brandFlow({ file: path.basename(file), text: fs.readFileSync(file, 'utf8') }, brand);
    const out = path.join(dir, `${brand.slug}-${path.basename(file)}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
    return out;
  } catch (error) {
    if (!(error instanceof SolutionError)) throw error;
    // The packager's messages name the file under flows/power-automate/; say the one the user gave.
    const given = path.relative(process.cwd(), file) || file;
    const reason = error.message.split(`flows/power-automate/${path.basename(file)}`).join(given);
    throw new Error(`${given} cannot be run for ${brand.title}: only Power Automate flows are rebranded to another brand (${reason}).`);
  }
}

function bar(fraction: number, width = 24): string {
  const full = Math.round(fraction * width);
  return '#'.repeat(full) + '.'.repeat(width - full);
}

async function main(flags: FlagValues<typeof START_CLI.flags>): Promise<number> {
  // A folder would be found out only when the day is over and the workbook is written.
  const target = path.resolve(path.resolve(__dirname, '..'), flags.out);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    console.error(`npm start: --out expects a file, got the folder ${flags.out} (npm start -- --help lists the flags)`);
    return 2;
  }
  // A file that is not a workflow definition is a usage error, found before anything starts (Mono included).
  const { loadWorkflow, WorkflowError } = await import('../sandbox/workflow/load');
  for (const flow of flags.flow) {
    try {
      loadWorkflow(flow, path.resolve(__dirname, '..'));
    } catch (e) {
      if (!(e instanceof WorkflowError)) throw e;
      console.error(`npm start: --flow expects a workflow definition (a Power Automate flow or a Logic Apps workflow.json): ${e.message} (npm start -- --help lists the flags)`);
      return 2;
    }
  }
  // One flow runs once on a connection: the same file twice would be one flow saved twice.
  const twice = flags.flow.find((flow, i) => flags.flow.findIndex((other) => path.resolve(other) === path.resolve(flow)) !== i);
  if (twice !== undefined) {
    console.error(`npm start: --flow ${path.relative(process.cwd(), twice) || twice} is given twice; give each flow once (npm start -- --help lists the flags)`);
    return 2;
  }
  const profile = profileFromFlag(flags.profile, (message) => console.error(`npm start: ${message} (npm start -- --help lists the flags)`));
  if (!profile) return 2;
  // Loaded after the arguments are read, so that --help and usage errors answer at once.
  const { ScriptHost } = await import('../script-host/host');
  const { SandboxConnector } = await import('../sandbox/connector');
  const { runSampleDay } = await import('../sandbox/sample');
  const { defaultBindings } = await import('../sandbox/workflow/host');
  const { sheetsOf, workbooksFor } = await import('../sandbox/workflow/stand-ins/excel');
  const { formatRiga } = await import('../sandbox/pbx/time');
  const root = path.resolve(__dirname, '..');
  const serve = flags.serve;
  const workbook = path.resolve(root, flags.out);
  const brand = findBrand(flags.brand);
  const folder = path.join(root, brandLayout(brand).dir);
  const shippedFlows = flags.flow.length > 0 ? flags.flow : [path.join(root, DEFAULT_FLOW)];
  const flowFiles: string[] = [];
  for (const shipped of shippedFlows) flowFiles.push(brand === primaryBrand ? shipped : await rebrandedFlow(shipped, brand, path.join(path.dirname(workbook), 'flows')));
  const bindings = { ...defaultBindings(path.dirname(workbook)), workbook };
  const shown = (p: string): string => path.relative(process.cwd(), p) || p;
  const producedText = (list: Produced[]): string => list.map((p) => `${p.label} ${String(p.count).padStart(4)}`).join('  ');
  let connector = SandboxConnector.fromFolder(folder, brand.title);
  console.log(`${brand.title} ${brand.version}: the connector in ${path.relative(root, folder) || '.'}/, a mock PBX standing in for ${brand.host}`);
  // Said only when it is not today's default, so that the default run prints what it always did.
  if (profile !== DEFAULT_PROFILE) console.log(`PBX profile ${profile.name} (${profile.source}): ${profile.summary}`);
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
      connector = SandboxConnector.fromFolder(folder, brand.title, { withScript: false });
    }
  } else {
    console.log('No script.csx: the gateway forwards requests without custom code.');
  }
  console.log(`Playing a day of call traffic through the mock PBX (virtual time), ${flowFiles.length === 1 ? 'flow' : 'flows'} ${flowFiles.map(shown).join(', ')}:`);
  // The script host is a child process: left running, it would keep this command alive after an error.
  const summary = await runSampleDay({
    connector,
    scriptHost: host,
    pbxHost: brand.host,
    market: brand.market,
    pbx: apiOptionsOf(profile),
    flowFiles,
    root,
    bindings,
    apiName: brand.apiName,
    seed: flags.seed,
    callsPerDay: flags.calls,
    durationMs: flags.days * 24 * 60 * 60_000,
    keep: serve,
    progress: (p) =>
      process.stdout.write(
        `  [${bar(p.fraction)}] ${p.clock.slice(0, 16).replace('T', ' ')}  calls ${String(p.calls).padStart(4)}  runs ${String(p.runs).padStart(4)}  ${producedText(p.produced)}` +
          `${p.final ? '  (last calls finished)' : ''}\n`,
      ),
  }).catch(async (e: unknown) => {
    await host?.stop();
    throw e;
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('');
  for (const text of describeDay(summary, { serve, seconds })) console.log(text);
  const tables = workbooksFor(flowFiles.map((f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')));
  const sheets = sheetsOf(tables);
  const tableText = tables.map((t) => `sheet ${sheets.get(t.table)}, table ${t.table}`).join('; ');
  const outputs = [
    ...(summary.produced.some((p) => p.label === 'rows') ? [`${shown(bindings.workbook)} (${tableText}, time zone stated in A1)`] : []),
    ...(summary.produced.some((p) => p.label === 'messages') ? [shown(bindings.teamsOutbox)] : []),
    ...(summary.produced.some((p) => p.label === 'mails') ? [`${shown(bindings.mailDir)}/*.eml`] : []),
    ...(summary.produced.some((p) => p.label === 'files') ? [`${shown(bindings.driveDir)}/ (the OneDrive folder)`] : []),
    ...(summary.produced.some((p) => p.label === 'cards') ? [`${shown(bindings.teamsOutbox)} (cards and their answers)`] : []),
  ];
  if (outputs.length > 0) console.log(`${serve ? 'Written when stopped' : 'Written'}: ${outputs.join(', ')}`);
  if (serve && summary.sandbox) {
    const sb = summary.sandbox;
    const stopClock = sb.followRealTime();
    // Before the URLs are printed: whoever reads them may signal at once.
    stopOnSignals(async () => {
      stopClock();
      // The stand-ins' files are written; the subscription is not removed (the script host may be gone with Ctrl+C).
      await summary.finish?.();
      await sb.stop();
      await host?.stop();
      console.log('Stopped: the mock PBX, the gateway and the flow runtime are closed.');
      // Runs that failed while serving count as those of the days played: exit 1, each named.
      let failedAtAll = summary.failedRuns > 0;
      for (const flow of summary.flows) {
        const failed = flow.host?.failedRuns ?? [];
        failedAtAll ||= failed.length > 0;
        const later = failed.slice(flow.failures.length).map((r) => ({ run: r.id, at: formatRiga(r.startedAt), error: r.error ?? 'failed' }));
        for (const text of failureLines({ failures: later }, summary.flows.length === 1 ? 'Failed while serving' : `Failed while serving, flow "${flow.flowName}"`)) console.log(text);
      }
      return failedAtAll ? 1 : 0;
    });
    console.log('');
    console.log('Serving (Ctrl+C or SIGTERM stops):');
    console.log(`  connector gateway  ${sb.connection.url}/  (e.g. GET ${sb.connection.url}/trigger/call_history?limit=5)`);
    console.log(`  mock PBX           ${sb.pbx.baseUrl}  for ${brand.host} (header "Authorization: Bearer ${sb.apiKey}", a throwaway key)`);
    console.log(`  flow callbacks     ${sb.runtime.callbackOrigin}/workflows/…`);
    console.log('  time now follows the wall clock (rate-limit windows, polls).');
    return 0;
  }
  await host?.stop();
  return summary.failedRuns > 0 ? 1 : 0;
}

if (require.main === module) {
  runCommand(START_CLI, async ({ flags }) => {
    const { WorkflowError } = await import('../sandbox/workflow/load');
    try {
      return await main(flags);
    } catch (e) {
      if (e instanceof WorkflowError) console.error(`npm start: the workflow cannot run in the sandbox:\n${e.message}`);
      else console.error(`npm start failed: ${(e as Error).message}`);
      return 1;
    }
  });
}
