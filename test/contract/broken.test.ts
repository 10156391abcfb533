/**
 * Purpose-made broken scenarios (test/contract/fixtures/broken, outside test/scenarios) must each
 * produce exactly the findings listed here: the rule, the operationId, the direction, the pointer
 * into the scenario, the data path and (by suffix) the schema path into the definition.
 */
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type ContractDefinition } from '../../lib/definition';
import { loadProjectContract } from '../../contract/project';
import type { ContractFinding } from '../../contract/findings';
import { replayScenario } from '../../contract/replay';
import { listScenarioFiles, readScenarioFile } from '../../contract/scenario';

const FIXTURES = path.join(__dirname, 'fixtures', 'broken');

interface Want {
  rule: string;
  severity: 'error' | 'warn';
  operationId: string;
  direction: ContractFinding['direction'];
  pointer: string;
  dataPath?: string;
  schemaPath?: RegExp;
  message?: RegExp;
}

const cases: Record<string, Want[]> = {
  'GetCallHistory/callid-type-changed': [
    { rule: 'contract-response-schema', severity: 'error', operationId: 'GetCallHistory', direction: 'response', pointer: '/steps/0/response/body/data/1/callID', dataPath: '/data/1/callID', schemaPath: /\/properties\/callID\/type$/, message: /integer/ },
  ],
  'GetContactsByID/contactid-removed': [
    { rule: 'contract-response-schema', severity: 'error', operationId: 'GetContactsByID', direction: 'response', pointer: '/steps/0/response/body/data/contactID', dataPath: '/data/contactID', schemaPath: /\/required$/, message: /required property "contactID"/ },
  ],
  'CallStarted/event-callid-removed': [
    { rule: 'contract-event-schema', severity: 'error', operationId: 'CallStarted', direction: 'event', pointer: '/event/data/callID', dataPath: '/data/callID', schemaPath: /\/required$/ },
  ],
  'GetGroupByID/created-not-date-time': [
    { rule: 'contract-response-schema', severity: 'error', operationId: 'GetGroupByID', direction: 'response', pointer: '/steps/0/response/body/data/created', dataPath: '/data/created', schemaPath: /\/properties\/created\/format$/, message: /date-time/ },
  ],
  'GetAudioPromptByID/id-overflows-int32': [
    { rule: 'contract-response-schema', severity: 'error', operationId: 'GetAudioPromptByID', direction: 'response', pointer: '/steps/0/response/body/data/id', dataPath: '/data/id', schemaPath: /\/properties\/id\/format$/, message: /int32/ },
  ],
  'GetCallHistory/cursor-not-carried': [
    { rule: 'contract-cursor', severity: 'error', operationId: 'GetCallHistory', direction: 'request', pointer: '/steps/1/request/query/initial_call_id', message: /initial_call_id=5003/ },
  ],
  'GetCallHistory/wrong-expected-cursor': [
    { rule: 'contract-cursor', severity: 'error', operationId: 'GetCallHistory', direction: 'response', pointer: '/steps/0/expect/cursor', schemaPath: /^\/paths\/~1trigger~1call_history\/get\/parameters\/\d+$/, message: /yields "5003"/ },
  ],
  'GetContactsByID/wrong-path': [
    { rule: 'contract-request-mismatch', severity: 'error', operationId: 'GetContactsByID', direction: 'request', pointer: '/steps/0/request/path', message: /\/api\/v2\/contacts\/101/ },
  ],
  'Dial/body-differs': [{ rule: 'contract-request-mismatch', severity: 'error', operationId: 'Dial', direction: 'request', pointer: '/steps/0/request/body' }],
  'GetLostCalls/no-authorization': [
    { rule: 'contract-request-mismatch', severity: 'error', operationId: 'GetLostCalls', direction: 'request', pointer: '/steps/0/request/headers', message: /authorization/ },
  ],
  'GetLostCalls/unknown-input': [
    { rule: 'contract-input', severity: 'error', operationId: 'GetLostCalls', direction: 'request', pointer: '/inputs/page', message: /"page" is not a parameter/ },
  ],
  'GetVoicemailByID/undeclared-status': [
    { rule: 'contract-undeclared-status', severity: 'warn', operationId: 'GetVoicemailByID', direction: 'response', pointer: '/steps/0/response/status', message: /418/ },
  ],
  'GetContactsByID/retry-after-not-integer': [
    { rule: 'contract-response-header', severity: 'warn', operationId: 'GetContactsByID', direction: 'response', pointer: '/steps/0/response/headers/retry-after', message: /"soon"/ },
  ],
  'CallStarted/callback-differs': [{ rule: 'contract-request-mismatch', severity: 'error', operationId: 'CallStarted', direction: 'request', pointer: '/steps/0/request/body' }],
  'GetEverything/unknown-operation': [
    { rule: 'contract-unknown-operation', severity: 'error', operationId: 'GetEverything', direction: 'request', pointer: '/operationId' },
  ],
};

let def: ContractDefinition;
beforeAll(() => {
  def = loadProjectContract();
});

describe('broken scenarios produce precise findings', () => {
  it('has a case for every broken fixture and a fixture for every case', () => {
    const found = listScenarioFiles(FIXTURES).map((f) => path.relative(FIXTURES, f).replace(/\.yaml$/, ''));
    expect(found.sort()).toEqual(Object.keys(cases).sort());
  });

  for (const [name, wants] of Object.entries(cases)) {
    it(name, async () => {
      const file = path.join(FIXTURES, `${name}.yaml`);
      const loaded = { ...readScenarioFile(file), file: path.relative(PROJECT_ROOT, file) };
      const findings = await replayScenario(def, loaded);
      expect(findings.map((f) => `${f.rule} ${f.pointer}`)).toEqual(wants.map((w) => `${w.rule} ${w.pointer}`));
      findings.forEach((f, i) => {
        const w = wants[i];
        expect(f).toMatchObject({ severity: w.severity, operationId: w.operationId, direction: w.direction, file: loaded.file });
        if (w.dataPath !== undefined) expect(f.dataPath).toBe(w.dataPath);
        if (w.schemaPath) expect(f.schemaPath).toMatch(w.schemaPath);
        if (w.message) expect(f.message).toMatch(w.message);
        expect(f.expected).not.toBe('');
        expect(f.actual).not.toBe('');
      });
    });
  }
});
