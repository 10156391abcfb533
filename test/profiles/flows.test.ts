// The shipped flows that act on ids and on the PBX's answers, run together on one connection under every PBX
// profile (test/profiles/harness.ts) over a played morning (3 hours): the recording archive files every recording of the
// day byte for byte, by the ID the event names; the missed-call callback and reached flows close each missed
// call (test/sandbox/missed-calls.ts says how). Under big-ids the events and the answers carry the same 21-digit
// ids, so the archive works as under any other profile; the callback cannot dial (Dial's contactID is int32 in
// the published 1.0 surface, and int() holds at most Int64), so each press fails its run at Call_back, naming
// the id, and nobody is dialled, while callers reached otherwise are still marked Reached.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingAudio } from '../../sandbox/pbx';
import { apiOptionsOf } from '../../sandbox/pbx/profiles';
import { useScriptHost } from '../sandbox/helpers';
import { CALLBACK_FLOW, expectMissedCallsClosed, playMissedCalls, REACHED_FLOW } from '../sandbox/missed-calls';
import { MATRIX } from './harness';

const host = useScriptHost();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-flows-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(folder, e.name)) : [path.join(folder, e.name)]));
}

describe.each(MATRIX)('PBX profile $name: the recording archive and the missed-call flows together', (profile) => {
  it(profile.bigIds ? 'files every recording by its 21-digit ID; every press fails at Call_back naming the ID and dials nobody; reached callers are marked Reached' : 'files every recording byte for byte; a Dial per press; every answered callback and repeat call marks its row Reached once', async () => {
    const day = await playMissedCalls({
      host: host(),
      dir: path.join(dir, profile.name),
      pbx: apiOptionsOf(profile),
      flows: ['recording-archive.json', CALLBACK_FLOW, REACHED_FLOW],
      callsPerDay: 400,
      durationMs: 3 * 3_600_000,
      seed: 2,
    });
    // The recording archive: one file per recording of the played day, named by the ID the event carried.
    const archive = day.summary.flows[0];
    expect(archive.failures).toEqual([]);
    const from = Date.parse(day.summary.from);
    const calls = new Map(day.calls.map((c) => [c.callID, c]));
    const recorded = day.recordings.filter((r) => Date.parse(calls.get(r.callID)!.callStarted) >= from);
    expect(recorded.length).toBeGreaterThan(5);
    expect(archive.runs).toBe(recorded.length);
    const files = filesUnder(day.bindings.driveDir);
    expect(files).toHaveLength(recorded.length);
    for (const r of recorded) {
      const file = files.find((f) => f.endsWith(` (${day.publicId(r.recordingID)}).wav`));
      expect(file, `recording ${day.publicId(r.recordingID)}`).toBeDefined();
      expect(fs.readFileSync(file!).equals(recordingAudio(r.recordingID)), `recording ${r.recordingID}`).toBe(true);
    }
    // The missed calls: closed as the two flows promise, or, with ids beyond Int64, refused at the Dial.
    const figures = expectMissedCallsClosed(day, { dialsRefused: profile.bigIds });
    // The morning holds presses, callers reached and callers not reached; answered callbacks where dialling works.
    expect(figures.presses).toBeGreaterThan(2);
    expect(figures.reached).toBeGreaterThan(0);
    expect(day.rows.length).toBeGreaterThan(figures.reached);
    expect(figures.answeredCallbacks > 0).toBe(!profile.bigIds);
  });
});
