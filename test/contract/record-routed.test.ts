/** The recorder refuses the list actions and dropdowns (no PBX route of their own) and says what to record instead. */
import { describe, expect, it } from 'vitest';
import { connector } from '../../connector/model/connector';
import { RecordInputError, routedOperations, runRecordCli, targetsFor } from '../../contract/record-cli';
import { loadProjectDefinition } from '../../lib/definition';

const def = loadProjectDefinition();
const routed = routedOperations(connector);

describe('recording a routed operation', () => {
  it('refuses ListCalls, naming the trigger to record and the routedTo to write', () => {
    const attempt = () => targetsFor(def, { operations: ['ListCalls'], inputs: [] }, routed);
    expect(attempt).toThrow(RecordInputError);
    expect(attempt).toThrow(/ListCalls cannot be recorded from the PBX: .* reads \/trigger\/call_history \(the list of GetCallHistory\)\. Record GetCallHistory instead, and write ListCalls scenarios with routedTo: \/api\/v2\/trigger\/call_history/);
    expect(() => targetsFor(def, { operations: ['ListContactChoices'], inputs: [] }, routed)).toThrow(/Record GetContacts instead/);
  });

  it('refuses GetRecordingFile: a recording is personal data and comes from a link, so its scenarios are written by hand', () => {
    expect(() => targetsFor(def, { operations: ['GetRecordingFile'], inputs: [] }, routed)).toThrow(/GetRecordingFile cannot be recorded: it answers a file \(a call recording: personal data, never stored\).*Record GetCallRecordingByID/);
  });

  it('still records the trigger itself', () => {
    expect(targetsFor(def, { operations: ['GetCallHistory'], inputs: [{ name: 'limit', value: '5' }] }, routed)).toEqual([{ operationId: 'GetCallHistory', inputs: { limit: 5 } }]);
  });

  it('npm run record -- ListCalls says so and writes nothing (exit 1)', async () => {
    const err: string[] = [];
    const code = await runRecordCli(['ListCalls', '--out', '/nonexistent-scenario-root'], { ZP_API_KEY: 'test-key-123456', ZP_SCRUB_SALT: 'salt' }, { out: () => undefined, err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/ListCalls cannot be recorded from the PBX.*Record GetCallHistory instead/);
  });
});
