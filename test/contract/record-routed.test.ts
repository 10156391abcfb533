/** The recorder refuses the list actions and dropdowns (no PBX route of their own) and says what to record instead. */
import { describe, expect, it } from 'vitest';
import { RecordInputError, targetsFor } from '../../contract/record-cli';
import { loadProjectDefinition } from '../../lib/definition';

const def = loadProjectDefinition();

describe('recording a routed operation', () => {
  it('refuses ListCalls, naming the trigger to record and the routedTo to write', () => {
    const attempt = () => targetsFor(def, { operations: ['ListCalls'], inputs: [] });
    expect(attempt).toThrow(RecordInputError);
    expect(attempt).toThrow(/ListCalls cannot be recorded from the PBX: .* reads \/trigger\/call_history \(the list of GetCallHistory\)\. Record GetCallHistory instead, and write ListCalls scenarios with routedTo: \/api\/v2\/trigger\/call_history/);
    expect(() => targetsFor(def, { operations: ['ListContactChoices'], inputs: [] })).toThrow(/Record GetContacts instead/);
  });

  it('still records the trigger itself', () => {
    expect(targetsFor(def, { operations: ['GetCallHistory'], inputs: [{ name: 'limit', value: '5' }] })).toEqual([{ operationId: 'GetCallHistory', inputs: { limit: 5 } }]);
  });
});
