/**
 * The workflow runtime's variables, loops, Recurrence trigger and date functions, each on a
 * purpose-made definition (no connector): what they do, and what they refuse by name and pointer.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json-pointer';
import { FUNCTIONS, evaluateTemplate, parseTemplate } from '../../lib/expression';
import { prepareWorkflow } from '../../sandbox/workflow/host';
import type { LoadedWorkflow } from '../../sandbox/workflow/load';
import { nextOccurrence, type Recurrence } from '../../sandbox/workflow/recurrence';
import type { ThisConnectorApi } from '../../sandbox/workflow/this-connector';
import { StandInApi, ok, type Json } from '../../sandbox/workflow/apis';
import { durationMs } from '../../sandbox/workflow/loops';
import { memoryWorkflow } from './helpers';

const NOW = Date.parse('2026-11-04T10:30:00Z'); // a Wednesday

function workflow(actions: JsonObject, trigger: JsonObject = { type: 'Recurrence', recurrence: { frequency: 'Day', interval: 1 } }): LoadedWorkflow {
  return memoryWorkflow(actions, { trigger });
}

function prepare(wf: LoadedWorkflow) {
  return prepareWorkflow(wf, new Map(), {} as ThisConnectorApi, { now: () => NOW });
}

async function run(actions: JsonObject) {
  const { engine, problems } = prepare(workflow(actions));
  expect(problems).toEqual([]);
  return engine.run('t', { headers: {}, body: null });
}

const init = (name: string, type: string, value: unknown, after?: string): JsonObject => ({
  type: 'InitializeVariable', runAfter: after ? { [after]: ['Succeeded'] } : {}, inputs: { variables: [{ name, type, value }] },
});

describe('variables and loops', () => {
  it('Until runs its actions until the expression holds, afresh each iteration', async () => {
    const r = await run({
      n: init('n', 'integer', 0),
      Loop: {
        type: 'Until', runAfter: { n: ['Succeeded'] }, expression: "@greaterOrEquals(variables('n'), 3)", limit: { count: 10 },
        actions: {
          Add: { type: 'SetVariable', runAfter: {}, inputs: { name: 'n', value: "@add(variables('n'), 1)" } },
          Seen: { type: 'Compose', runAfter: { Add: ['Succeeded'] }, inputs: "@variables('n')" },
        },
      },
      After: { type: 'Compose', runAfter: { Loop: ['Succeeded'] }, inputs: "@outputs('Seen')" },
    });
    expect(r.status).toBe('Succeeded');
    expect(r.actions.filter((a) => a.name === 'Seen').map((a) => a.outputs)).toEqual([1, 2, 3]);
    expect(r.actions.find((a) => a.name === 'Loop')?.outputs).toEqual({ iterations: 3, ended: 'expression' });
    expect(r.actions.find((a) => a.name === 'After')?.outputs).toBe(3);
  });

  it('Until stops at limit.count', async () => {
    const r = await run({ Loop: { type: 'Until', runAfter: {}, expression: '@false', limit: { count: 4 }, actions: { C: { type: 'Compose', runAfter: {}, inputs: 1 } } } });
    expect(r.actions.find((a) => a.name === 'Loop')?.outputs).toEqual({ iterations: 4, ended: 'count limit' });
  });

  describe('Until honours limit.timeout on the run\'s clock (controlled, no wall time)', () => {
    const MINUTE = 60_000;
    /** A connector whose one operation takes `minutes` of the run's clock: the clock moves only when it is called. */
    function timed() {
      let now = NOW;
      const calls: number[] = [];
      const api = new StandInApi('clock', 'Clock stand-in', [
        {
          operationId: 'Work',
          method: 'POST',
          path: '/work',
          query: ['minutes'],
          run: (call) => {
            calls.push((now - NOW) / MINUTE);
            now += Number(call.params.minutes) * MINUTE;
            return ok({ done: true } as Json);
          },
        },
      ]);
      const wf = workflow({
        Loop: {
          type: 'Until', runAfter: {}, expression: '@false', limit: { count: 5000, timeout: 'PT1H' },
          actions: {
            Work: { type: 'OpenApiConnection', runAfter: {}, inputs: { host: { connectionName: 'shared_clock', operationId: 'Work' }, parameters: { minutes: 25 } } },
            After_work: { type: 'Compose', runAfter: { Work: ['Succeeded'] }, inputs: 'cycle finished' },
          },
        },
        Next: { type: 'Compose', runAfter: { Loop: ['Succeeded'] }, inputs: 'after the loop' },
      });
      wf.connections.set('shared_clock', { name: 'shared_clock', api: 'clock', file: 'mem.json', pointer: '/properties/connectionReferences/shared_clock' });
      const setMinutes = (minutes: number) => ((((wf.definition.actions as JsonObject).Loop as JsonObject).actions as JsonObject).Work as JsonObject).inputs = { host: { connectionName: 'shared_clock', operationId: 'Work' }, parameters: { minutes } };
      const setLimitTimeout = (timeout: unknown) => (((wf.definition.actions as JsonObject).Loop as JsonObject).limit = { count: 5000, ...(timeout === undefined ? {} : { timeout }) } as JsonObject);
      const start = async () => {
        const { engine, problems } = prepareWorkflow(wf, new Map([['clock', api]]), {} as ThisConnectorApi, { now: () => now });
        expect(problems).toEqual([]);
        return engine.run('t', { headers: {}, body: null });
      };
      return { calls, start, setMinutes, setLimitTimeout };
    }

    it('starts no cycle once the timeout has passed; the loop succeeds and the run goes on', async () => {
      const t = timed();
      const r = await t.start();
      // Cycles start at 0, 25 and 50 minutes; at 75 the hour has passed, so no fourth cycle starts.
      expect(t.calls).toEqual([0, 25, 50]);
      expect(r.actions.find((a) => a.name === 'Loop')).toMatchObject({ status: 'Succeeded', outputs: { iterations: 3, ended: 'timeout' } });
      expect(r.actions.find((a) => a.name === 'Next')?.outputs).toBe('after the loop');
      expect(r.status).toBe('Succeeded');
    });

    it('does not cut a cycle that runs past the timeout short', async () => {
      const t = timed();
      t.setMinutes(90);
      const r = await t.start();
      expect(t.calls).toEqual([0]);
      expect(r.actions.filter((a) => a.name === 'After_work').map((a) => a.outputs)).toEqual(['cycle finished']);
      expect(r.actions.find((a) => a.name === 'Loop')?.outputs).toEqual({ iterations: 1, ended: 'timeout' });
    });

    it('takes the platform default of one hour when no timeout is set, and a day when P1D is', async () => {
      const t = timed();
      t.setLimitTimeout(undefined);
      await t.start();
      expect(t.calls).toEqual([0, 25, 50]);
      const day = timed();
      day.setLimitTimeout('P1D');
      day.setMinutes(60);
      const r = await day.start();
      expect(day.calls).toHaveLength(24);
      expect(r.actions.find((a) => a.name === 'Loop')?.outputs).toEqual({ iterations: 24, ended: 'timeout' });
    });

    it('refuses a timeout that is not an ISO 8601 duration', () => {
      const problems = (timeout: unknown) => prepare(workflow({ L: { type: 'Until', runAfter: {}, expression: '@true', limit: { timeout }, actions: {} } })).problems.map((p) => p.pointer);
      expect(problems('PT90M')).toEqual([]);
      expect(problems('1 hour')).toEqual(['/properties/definition/actions/L/limit/timeout']);
      expect(problems('P1M')).toEqual(['/properties/definition/actions/L/limit/timeout']);
      expect(problems(3600)).toEqual(['/properties/definition/actions/L/limit/timeout']);
      expect([durationMs('PT1H'), durationMs('P1D'), durationMs('P1W'), durationMs('PT1M30S'), durationMs('P'), durationMs('PT')]).toEqual([3_600_000, 86_400_000, 604_800_000, 90_000, undefined, undefined]);
    });
  });

  it('Foreach gives each item to items() and fails when an iteration fails', async () => {
    const ok = await run({ Each: { type: 'Foreach', runAfter: {}, foreach: '@createArray(1, 2, 3)', actions: { C: { type: 'Compose', runAfter: {}, inputs: "@mul(items('Each'), 10)" } } } });
    expect(ok.actions.filter((a) => a.name === 'C').map((a) => a.outputs)).toEqual([10, 20, 30]);
    const bad = await run({ Each: { type: 'Foreach', runAfter: {}, foreach: "@createArray(1, 'x')", actions: { C: { type: 'Compose', runAfter: {}, inputs: "@mul(items('Each'), 10)" } } } });
    expect(bad.status).toBe('Failed');
    expect(bad.actions.find((a) => a.name === 'Each')).toMatchObject({ status: 'Failed', error: expect.stringMatching(/^1 of 2 iterations failed; the first: C: mul\(\): "x" is not a number/) });
  });

  it('SetVariable refuses a value of another type, and an uninitialized variable', async () => {
    const wrongType = await run({ n: init('n', 'integer', 0), S: { type: 'SetVariable', runAfter: { n: ['Succeeded'] }, inputs: { name: 'n', value: 'abc' } } });
    expect(wrongType.error).toMatch(/variable "n" is of type integer/);
    const missing = await run({ S: { type: 'SetVariable', runAfter: {}, inputs: { name: 'm', value: 1 } } });
    expect(missing.error).toMatch(/"m" was not initialized/);
  });

  it('an integer variable keeps an id beyond 2^53 whole (as its digits) up to Int64, and fails the run beyond it', async () => {
    const within = await run({ n: init('n', 'integer', '9007199254740993') });
    expect(within.status).toBe('Succeeded');
    expect(within.actions[0].inputs).toEqual({ variables: [{ name: 'n', type: 'integer', value: '9007199254740993' }] });
    const beyond = await run({ n: init('n', 'integer', '100000000000000000041') });
    expect(beyond.error).toMatch(/variable "n" is of type integer \(64-bit\), the value 100000000000000000041 is beyond what it holds/);
  });

  it('refuses at load time what it cannot run, with the pointer', () => {
    const { problems } = prepare(workflow({ I: { type: 'InitializeVariable', runAfter: {}, inputs: { variables: [{ name: 'x', type: 'decimal' }] } }, L: { type: 'Until', runAfter: {}, actions: {} } }));
    expect(problems.map((p) => p.pointer)).toEqual(['/properties/definition/actions/I/inputs/variables/0/type', '/properties/definition/actions/L/expression']);
  });

  it('refuses an Until limit the platform would refuse (more than 5,000 iterations)', () => {
    const loop = (count: number) => prepare(workflow({ L: { type: 'Until', runAfter: {}, expression: '@true', limit: { count }, actions: {} } })).problems;
    expect(loop(5000)).toEqual([]);
    expect(loop(5001).map((p) => `${p.pointer} ${p.message}`)).toEqual(['/properties/definition/actions/L/limit/count limit.count must be a whole number from 1 to 5000 (the platform refuses more)']);
  });
});

describe('Recurrence', () => {
  const weekly: Recurrence = { frequency: 'Week', interval: 1, start: Date.parse('2026-11-02T07:00:00Z'), weekDays: [1], hours: [7], minutes: [0] };

  it('fires every Monday at 07:00 UTC from its start time', () => {
    expect(new Date(nextOccurrence(weekly, NOW)).toISOString()).toBe('2026-11-09T07:00:00.000Z');
    expect(new Date(nextOccurrence(weekly, Date.parse('2026-11-09T07:00:00Z'))).toISOString()).toBe('2026-11-16T07:00:00.000Z');
    expect(new Date(nextOccurrence(weekly, Date.parse('2026-11-01T00:00:00Z'))).toISOString()).toBe('2026-11-02T07:00:00.000Z');
  });

  it('every second week, and every 15 minutes without a schedule', () => {
    expect(new Date(nextOccurrence({ ...weekly, interval: 2 }, Date.parse('2026-11-02T08:00:00Z'))).toISOString()).toBe('2026-11-16T07:00:00.000Z');
    const quarter: Recurrence = { frequency: 'Minute', interval: 15, start: Date.parse('2026-11-04T10:00:00Z') };
    expect(new Date(nextOccurrence(quarter, NOW)).toISOString()).toBe('2026-11-04T10:45:00.000Z');
  });

  it('refuses a time zone, a monthly schedule and an unknown frequency by name', () => {
    const refused = (recurrence: JsonObject) => prepare(workflow({}, { type: 'Recurrence', recurrence })).problems.map((p) => `${p.pointer} ${p.message}`);
    expect(refused({ frequency: 'Week', interval: 1, timeZone: 'FLE Standard Time' })).toEqual([expect.stringMatching(/recurrence\/timeZone timeZone "FLE Standard Time" is not supported/)]);
    expect(refused({ frequency: 'Week', interval: 1, schedule: { monthDays: [1] } })).toEqual([expect.stringMatching(/schedule\/monthDays schedule.monthDays is not supported/)]);
    expect(refused({ frequency: 'Month', interval: 1 })).toEqual([expect.stringMatching(/frequency "Month" is not supported/)]);
  });
});

describe('date functions', () => {
  const evaluate = (text: string) => evaluateTemplate(parseTemplate(text), {});
  it('addDays keeps the engine\'s format (seven fractional digits, UTC) and refuses other formats', () => {
    expect(evaluate("@addDays('2026-11-09T07:00:00.0000000Z', -7)")).toBe('2026-11-02T07:00:00.0000000Z');
    expect(evaluate("@addDays('2026-11-09T09:00:00+02:00', 1)")).toBe('2026-11-10T07:00:00.0000000Z');
    expect(() => evaluate("@addDays('2026-11-09T07:00:00Z', 1, 'yyyy-MM-dd')")).toThrow(/format "yyyy-MM-dd" is not supported/);
    expect(() => evaluate("@addDays('next week', 1)")).toThrow(/not a timestamp/);
    expect(FUNCTIONS.utcNow).toBeUndefined(); // utcNow() reads the run's clock: a run function
  });

  it("utcNow() is the run's virtual time", async () => {
    const r = await run({ C: { type: 'Compose', runAfter: {}, inputs: '@{utcNow()}' } });
    expect(r.actions[0].outputs).toBe('2026-11-04T10:30:00.0000000Z');
  });
});
