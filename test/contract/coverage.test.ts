import { beforeAll, describe, expect, it } from 'vitest';
import { contractCoverage, coverageOperations, formatCoverage, WEBHOOK_EVENTS } from '../../contract/coverage';
import { type ContractDefinition } from '../../lib/definition';
import { loadProjectContract } from '../../contract/project';
import { listScenarios, type Scenario } from '../../contract/scenario';

let def: ContractDefinition;
let scenarios: Scenario[];

beforeAll(() => {
  def = loadProjectContract();
  scenarios = listScenarios().map((l) => l.scenario);
});

describe('scenario coverage', () => {
  it('covers every operation of the definition and every webhook event', () => {
    const report = contractCoverage(coverageOperations(def), scenarios);
    expect(report.problems).toEqual([]);
    expect(report.rows.map((r) => r.operationId)).toEqual(expect.arrayContaining([...def.operations.keys(), ...WEBHOOK_EVENTS]));
    expect(def.operations.size).toBe(29);
  });

  it('fails when the only success scenario of an operation is deleted', () => {
    const without = scenarios.filter((s) => !(s.operationId === 'GetVoicemailBoxByID' && s.kind === 'success'));
    const report = contractCoverage(coverageOperations(def), without);
    expect(report.problems).toEqual([expect.stringContaining('GetVoicemailBoxByID has no success scenario')]);
    expect(report.rows.find((r) => r.operationId === 'GetVoicemailBoxByID')?.missing).toEqual(['success']);
  });

  it('fails when a webhook trigger loses its event scenarios', () => {
    const without = scenarios.filter((s) => !(s.operationId === 'CallRecorded' && s.kind === 'event'));
    expect(contractCoverage(coverageOperations(def), without).problems).toEqual([expect.stringContaining('CallRecorded has no event scenario')]);
  });

  it('fails for an operation with no scenario at all, and for a scenario of an unknown operation', () => {
    const ops = [...coverageOperations(def), { operationId: 'GetBrandNewThing', kind: 'action' as const }];
    const orphan: Scenario = { operationId: 'GetRemovedThing', name: 'x', kind: 'event', source: 'hand-written', description: 'x', event: {} };
    const report = contractCoverage(ops, [...scenarios, orphan]);
    expect(report.problems).toEqual([
      expect.stringContaining('GetBrandNewThing has no success scenario'),
      expect.stringContaining('GetRemovedThing/x names an operation the definition does not have'),
    ]);
  });

  it('counts a webhook event that vanished from the definition as uncovered', () => {
    const ops = coverageOperations(def).filter((o) => o.operationId !== 'LostCallerRemoved');
    const report = contractCoverage(ops, scenarios.filter((s) => s.operationId !== 'LostCallerRemoved'));
    expect(report.problems).toEqual([expect.stringContaining('LostCallerRemoved has no success scenario'), expect.stringContaining('LostCallerRemoved has no event scenario')]);
  });

  it('prints one row per operation with counts by kind', () => {
    const text = formatCoverage(contractCoverage(coverageOperations(def), scenarios));
    const row = text.split('\n').find((l) => l.startsWith('GetContactsByID '));
    expect(row).toMatch(/GetContactsByID\s+action\s+\d+\s+0\s+\d+\s+1\s+0\s+-/);
    expect(text.split('\n')[0]).toMatch(/^operation\s+kind\s+success\s+empty\s+error\s+429\s+event\s+missing$/);
  });
});

describe('the webhook event list', () => {
  it('is the set of webhook triggers of the published 1.0 surface', async () => {
    const { loadBaseline } = await import('../../connector/compat/guard');
    const published = loadBaseline()
      .operations.filter((op) => op.trigger === 'single')
      .map((op) => op.path.split('/').pop());
    expect([...WEBHOOK_EVENTS].sort()).toEqual(published.sort());
  });
});
