// npm start's limits that keep a mistyped number from playing for hours: --days is bounded (a month of
// traffic plays in about half a minute; the weekly report needs 8).
import * as os from 'os';
import { expect, it } from 'vitest';
import { parseCommand, UsageError } from '../../lib/cli';
import { START_CLI } from '../../scripts/start';

const parse = (argv: string[]) => parseCommand(START_CLI, argv, { env: {}, cwd: os.tmpdir() });

it('--days takes 1 to 31 and refuses more, naming the range', () => {
  expect(parse(['--days', '8']).flags.days).toBe(8);
  expect(parse(['--days', '31']).flags.days).toBe(31);
  expect(() => parse(['--days', '100000'])).toThrow(UsageError);
  expect(() => parse(['--days', '32'])).toThrow(/--days expects a whole number from 1 to 31, got "32"/);
});

it('--flow may be repeated (several flows on one connection); absent, none is named and the default runs', () => {
  const flows = ['flows/power-automate/missed-call-callback.json', 'flows/power-automate/missed-call-reached.json'];
  const cwd = `${__dirname}/../..`;
  expect(parseCommand(START_CLI, flows.flatMap((f) => ['--flow', f]), { env: {}, cwd }).flags.flow.map((f) => f.split('/').slice(-1)[0])).toEqual(['missed-call-callback.json', 'missed-call-reached.json']);
  expect(parse([]).flags.flow).toEqual([]);
  expect(START_CLI.flags.flow.repeatable).toBe(true);
});
