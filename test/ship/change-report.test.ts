/**
 * The change report is derived from the compatibility guard: "no existing flow needs a change" only
 * when the guard reports 0 breaking findings; otherwise the findings are listed. The operations it
 * names exist in the definition.
 */
import { describe, expect, it } from 'vitest';
import { buildChangeReport, NO_FLOW_CHANGE } from '../../connector/docs/change-report';
import { publishedBaseline } from '../../connector/docs';
import { connector } from '../../connector/model/connector';
import type { ConnectorModel } from '../../connector/model/types';
import { definitionOf, visibleSurface, withoutEventField, withoutOperation, withoutParameter } from './support';

const baseline = publishedBaseline();
const report = buildChangeReport(connector, baseline);

/** Operation ids the report names in backticks, that exist in some model. */
function namedOperations(markdown: string, model: ConnectorModel): string[] {
  const ids = new Set(model.operations.map((op) => op.operationId));
  return [...markdown.matchAll(/`([A-Z][A-Za-z0-9]+)`/g)].map((m) => m[1]).filter((id) => ids.has(id));
}

describe('change report since 1.0', () => {
  it('states that no flow needs a change, because the guard finds nothing breaking', () => {
    expect(report).toContain(NO_FLOW_CHANGE);
    expect(report).toMatch(/found 0 breaking changes/);
    expect(report).toMatch(/29 operations, \d+ parameters and \d+ output fields/);
  });

  it('names what was fixed: Location, display names, key forms, bursts', () => {
    for (const topic of ['Location on subscriptions', 'Display names', 'Key forms', 'Bursts']) expect(report).toContain(`**${topic}:**`);
    expect(report).toMatch(/all 10 webhook triggers now answer the subscription with `201`/);
    expect(report).toMatch(/`<key>`.*`Bearer <key>`/);
    expect(report).toMatch(/the 8 polling triggers no longer skip the items beyond one page/);
  });

  it('says why the pollingtrigger policies left, that 1.0 state keeps working, and how Split on applies', () => {
    expect(report).toMatch(/No `pollingtrigger` policy:.*no connector in its repository combines them/);
    expect(report).toMatch(/`initial_<x>_id=N`.*delivers exactly the items after N/);
    expect(report).toMatch(/\*\*A 1\.0 trigger stored at cursor 0:\*\*.*`initial_<x>_id=0`.*counts as a new flow: its first check under this version answers `202`, delivers nothing.*Items created between its last 1\.0 check and that first check do not start runs/);
    expect(report).toMatch(/\*\*Split on:\*\*.*one run per item.*Flows built on 1\.0 keep .*one run per check/);
  });

  it('lists the paging and the dropdowns of 1.1, counted from the definition', () => {
    const lists = connector.operations.filter((op) => op.kind === 'action' && op.pageable).map((op) => op.operationId);
    expect(lists).toContain('ListCalls');
    expect(report).toContain(`- Paging on ${lists.length} list actions`);
    for (const id of lists) expect(report).toContain(`\`${id}\``);
    expect(report).toMatch(/answers its items in `value` and `nextLink`/);
    expect(report).toMatch(/- `nextLink` on `GetLostCalls` while a full page came back; its items stay in `data`, as in 1\.0, so it is not declared pageable\./);
    expect(report).toMatch(/- Dropdowns that show names on \d+ inputs/);
    const without = buildChangeReport({ ...connector, operations: connector.operations.map((op) => ({ ...op, parameters: op.parameters.map(({ picker: _p, ...rest }) => rest) })) as ConnectorModel['operations'] }, baseline);
    expect(without).toMatch(/- Dropdowns that show names on \d+ inputs/); // Dial's body keeps its dropdown
    expect(without.match(/Dropdowns that show names on (\d+)/)![1]).toBe('1');
  });

  it('names only operations the definition has', () => {
    const all = new Set(connector.operations.map((op) => op.operationId));
    for (const id of namedOperations(report, connector)) expect(all.has(id)).toBe(true);
  });

  it('lists the breaking findings instead when an operation is removed from the model', () => {
    const broken = buildChangeReport(withoutOperation('GetContactsByID'), baseline);
    expect(broken).not.toContain(NO_FLOW_CHANGE);
    expect(broken).toMatch(/\*\*1 breaking change\(s\)\*\*/);
    expect(broken).toMatch(/\| compat-operation-removed \| GetContactsByID \|/);
  });

  it('lists the breaking findings when an output field or a parameter is removed', () => {
    const noField = buildChangeReport(withoutEventField('LostCallerAdded', 'callerid'), baseline);
    expect(noField).not.toContain(NO_FLOW_CHANGE);
    expect(noField).toMatch(/compat-output-removed \| LostCallerAdded \|.*data\/callerid/);
    const noParameter = buildChangeReport(withoutParameter('GetLostCalls', 'date_from'), baseline);
    expect(noParameter).toMatch(/compat-parameter-removed \| GetLostCalls \|/);
  });

  it('fails the "named operations exist" check when the model loses one it names', () => {
    const mutated = withoutOperation('DeleteWebhookByID');
    const surface = visibleSurface(definitionOf(mutated));
    const missing = namedOperations(report, connector).filter((id) => !mutated.operations.some((op) => op.operationId === id));
    expect(missing).toEqual(['DeleteWebhookByID']);
    expect(surface.has('DeleteWebhookByID')).toBe(false);
  });
});
