// npm start's bad inputs found only after the arguments are read: a file that is not a workflow
// definition (it used to print the error, then hang, kept alive by the script host's Mono process) and
// an --out that is a folder (it used to play the whole day, then fail on writing the workbook).
import { execFile } from 'node:child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'start-errors-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function start(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(path.join(root, 'node_modules/.bin/ts-node'), ['scripts/start.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, signal: error?.signal ?? null, stdout, stderr });
    });
    child.stdin?.end();
  });
}

it('npm start -- --flow <not a workflow> is a usage error (exit 2) found before anything starts, writing nothing', async () => {
  const workbook = path.join(tmp, 'calls.xlsx');
  const run = await start(['--flow', 'package.json', '--calls', '5', '--out', workbook]);
  expect({ code: run.code, signal: run.signal, stdout: run.stdout }).toEqual({ code: 2, signal: null, stdout: '' }); // Mono never compiled
  expect(run.stderr).toBe(
    'npm start: --flow expects a workflow definition (a Power Automate flow or a Logic Apps workflow.json): package.json: (document): neither a Power Automate flow (properties.definition) nor a Logic Apps workflow (definition) (npm start -- --help lists the flags)\n',
  );
  expect(fs.existsSync(workbook)).toBe(false);
}, 150_000);

it('npm start -- --out <a folder> is refused before the day is played (exit 2)', async () => {
  const run = await start(['--calls', '5', '--out', tmp]);
  expect({ code: run.code, signal: run.signal, stdout: run.stdout }).toEqual({ code: 2, signal: null, stdout: '' });
  expect(run.stderr).toBe(`npm start: --out expects a file, got the folder ${tmp} (npm start -- --help lists the flags)\n`);
}, 150_000);

it('npm start -- --brand <other> --flow <a Logic Apps workflow> names the file given and why, exit 1, writing nothing', async () => {
  const workbook = path.join(tmp, 'brand-calls.xlsx');
  const given = 'flows/logic-apps/lost-caller-to-email/workflow.json';
  const run = await start(['--brand', 'mobili-stotele', '--flow', given, '--calls', '5', '--out', workbook]);
  expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
  expect(run.stderr).toContain(`${given} cannot be run for Mobili Stotele: only Power Automate flows are rebranded to another brand (${given} has no properties.definition`);
  expect(run.stderr).not.toContain('flows/power-automate/workflow.json');
  expect(fs.existsSync(workbook)).toBe(false);
}, 150_000);

it('npm start with runs that fail names each failed run with its error in the summary and exits 1', async () => {
  // The shipped answered-calls flow pointed at a workbook the sandbox does not have: every run's row fails.
  const flow = path.join(tmp, 'wrong-workbook.json');
  fs.writeFileSync(flow, fs.readFileSync(path.join(root, 'flows/power-automate/call-answered-to-excel.json'), 'utf8').replace('PICK-IN-DESIGNER: AnsweredCalls.xlsx', 'Somebody-elses.xlsx'));
  const run = await start(['--flow', flow, '--calls', '5', '--out', path.join(tmp, 'failing.xlsx')]);
  expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
  const failed = Number(/^ +(\d+) +failed runs +runs in which an action failed \(listed below; the command exits 1\)$/m.exec(run.stdout)?.[1]);
  expect(failed).toBeGreaterThan(0);
  expect(run.stdout).toContain(`\nFailed runs (${failed}):\n  run 1 (started `);
  expect(run.stdout).toMatch(/^ {2}run 1 \(started \d{4}-\d\d-\d\d \d\d:\d\d\): [A-Za-z_]+: Excel stand-in: file "Somebody-elses\.xlsx" is not the local workbook's/m);
}, 150_000);

it('npm start -- --profile <a file that is not a valid PBX profile> is refused before the day is played (exit 2), naming each problem', async () => {
  const file = path.join(tmp, 'bad-profile.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'guess', order: 'sideways' }));
  const run = await start(['--calls', '5', '--profile', file, '--out', path.join(tmp, 'profile-calls.xlsx')]);
  expect({ code: run.code, signal: run.signal, stdout: run.stdout }).toEqual({ code: 2, signal: null, stdout: '' });
  expect(run.stderr).toMatch(/^npm start: --profile: .*bad-profile\.json is not a valid PBX profile:\n {2}\/order: must be "newest-first" or "oldest-first" or "newest-first-swapped", got "sideways" \(npm start -- --help lists the flags\)\n$/);
}, 150_000);

it('npm start -- --flow <f> --flow <f> (the same flow twice) is a usage error (exit 2) before anything starts', async () => {
  const flow = 'flows/power-automate/lost-caller-to-teams.json';
  const run = await start(['--flow', flow, '--flow', `./${flow}`, '--calls', '5', '--out', path.join(tmp, 'twice.xlsx')]);
  expect({ code: run.code, signal: run.signal, stdout: run.stdout }).toEqual({ code: 2, signal: null, stdout: '' });
  expect(run.stderr).toBe(`npm start: --flow ${flow} is given twice; give each flow once (npm start -- --help lists the flags)\n`);
}, 150_000);

it('npm start with several flows: a summary per flow, and exit 1 when a run of any of them failed, listed under its flow', async () => {
  const flow = path.join(tmp, 'wrong-workbook-too.json');
  fs.writeFileSync(flow, fs.readFileSync(path.join(root, 'flows/power-automate/call-answered-to-excel.json'), 'utf8').replace('PICK-IN-DESIGNER: AnsweredCalls.xlsx', 'Somebody-elses.xlsx'));
  const run = await start(['--flow', 'flows/power-automate/lost-caller-to-teams.json', '--flow', flow, '--calls', '20', '--out', path.join(tmp, 'several.xlsx')]);
  expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
  expect(run.stdout).toMatch(/; 2 flows on one connection, sharing the stand-ins\n/);
  const blocks = run.stdout.split(/^ {2}flow "/m);
  expect(blocks[1]).toMatch(/^Lost callers to a Teams channel" \(flows\/power-automate\/lost-caller-to-teams\.json\):\n(.*\n){2} +\d+ +runs .*\n +0 +failed runs +runs in which an action failed\n/);
  const failed = Number(/^ +(\d+) +failed runs +runs in which an action failed \(listed below; the command exits 1\)$/m.exec(blocks[2])?.[1]);
  expect(failed).toBeGreaterThan(0);
  expect(run.stdout).toContain(`\nFailed runs of flow "Answered calls to Excel" (${flow}) (${failed}):\n  run 1 (started `);
}, 150_000);
