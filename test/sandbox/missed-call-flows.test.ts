/**
 * The two missed-call flows together over a played day, on one connection as a maker's flows are: the
 * callback flow (a card per lost caller; a press dials the caller from the presser's phone and marks the row
 * Called back) and the reached flow (LostCallerRemoved marks the caller's row Reached, with who and when).
 * The mock PBX plays each Dial as a call, answered or not as the seed draws it; an answered callback to a
 * caller still lost removes them, and so does an answered repeat call.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { useScriptHost } from './helpers';
import { CALLBACK_FLOW, expectMissedCallsClosed, playMissedCalls } from './missed-calls';

const host = useScriptHost();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-missed-calls-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('flows/power-automate/missed-call-callback.json with missed-call-reached.json', () => {
  it('over a played day: a Dial per press and none twice; every answered callback ends as a LostCallerRemoved that marks the row Reached once, with who; callers never reached stay open or called back', async () => {
    const day = await playMissedCalls({ host: host(), dir: path.join(dir, 'day') });
    const figures = expectMissedCallsClosed(day);
    // The day holds every path: presses, callbacks answered and not, callers reached by a callback and by calling again, some never.
    expect(figures.presses).toBeGreaterThan(10);
    expect(day.dials.filter((d) => d.call!.callConnected === null).length).toBeGreaterThan(0);
    expect(figures.answeredCallbacks).toBeGreaterThan(5);
    expect(figures.reached).toBeGreaterThan(figures.answeredCallbacks);
    expect(day.rows.filter((r) => r.Status === 'Called back').length + day.rows.filter((r) => r.Status === 'Open').length).toBeGreaterThan(0);
    expect(day.summary).toMatchObject({ dials: day.dials.length, dialsAnswered: day.dials.filter((d) => d.call!.callConnected !== null).length, failedRuns: 0 });
  });

  it('the same seed plays the same day: the same dials, answered the same way, and the same table', async () => {
    const again = (name: string) => playMissedCalls({ host: host(), dir: path.join(dir, name), callsPerDay: 200, durationMs: 6 * 3_600_000, seed: 5 });
    const [a, b] = [await again('a'), await again('b')];
    const shape = (day: Awaited<ReturnType<typeof again>>) => ({
      dials: day.dials.map((d) => [d.destination, d.contactID, d.at, d.call?.callConnected ?? null, d.call?.callEnded]),
      rows: day.rows.map((r) => [r.Key, r.Status, r['Handled By'], r['Reached By'], r['Reached At']]),
    });
    expect(a.dials.length).toBeGreaterThan(0);
    expect(shape(b)).toEqual(shape(a));
  });

  it('the callback flow alone: a press still dials once and marks the row Called back; nothing marks it reached', async () => {
    const day = await playMissedCalls({ host: host(), dir: path.join(dir, 'alone'), flows: [CALLBACK_FLOW], callsPerDay: 300, durationMs: 8 * 3_600_000 });
    const pressed = day.cards.filter((c) => day.answers.has(c.messageId)).length;
    expect(pressed).toBeGreaterThan(0);
    expect(day.dials).toHaveLength(pressed);
    expect(day.rows.filter((r) => r.Status === 'Called back')).toHaveLength(pressed);
    expect(day.rows.every((r) => r.Status !== 'Reached' && r['Reached At'] === null)).toBe(true);
  });
});
