/**
 * The model is the only thing maintainers edit; these tests prove that an edit which would break a
 * published flow is caught by the compatibility check, naming the operation and a JSON pointer.
 */
import { describe, expect, it } from 'vitest';
import { buildSwagger } from '../../connector/generate/swagger';
import { checkCompatibility, loadBaseline } from '../../connector/compat/guard';
import { connector } from '../../connector/model/connector';
import type { ConnectorModel, Operation, View } from '../../connector/model/types';

const baseline = loadBaseline();

function withOperation(id: string, change: (op: Operation) => Operation | null): ConnectorModel {
  expect(connector.operations.some((op) => op.operationId === id), `${id} exists`).toBe(true);
  const operations = connector.operations.flatMap((op) => {
    if (op.operationId !== id) return [op];
    const changed = change(op);
    return changed ? [changed] : [];
  });
  return { ...connector, operations };
}

function findings(model: ConnectorModel) {
  return checkCompatibility(baseline, buildSwagger(model));
}

/** A changed view needs its own schema name: the builder refuses two shapes under one name. */
const withoutField = (view: View, field: string): View => ({
  ...view,
  schemaName: `${view.schemaName}Edited`,
  pick: view.pick.filter((f) => f !== field),
});

describe('breaking edits of the model fail the compatibility check', () => {
  it('the model as it is: no finding', () => {
    expect(findings(connector)).toEqual([]);
  });

  it('removing a parameter', () => {
    const model = withOperation('GetCallHistory', (op) => ({ ...op, parameters: op.parameters.filter((p) => p.name !== 'direction') }));
    const result = findings(model);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ rule: 'compat-parameter-removed', operationId: 'GetCallHistory', severity: 'error' });
    expect(result[0]!.pointer).toMatch(/^\/paths\/~1trigger~1call_history\/get/);
    expect(result[0]!.message).toMatch(/GetCallHistory/);
    expect(result[0]!.message).toMatch(/direction/);
  });

  it('making a parameter internal', () => {
    const model = withOperation('GetLostCalls', (op) => ({
      ...op,
      parameters: op.parameters.map((p) => (p.name === 'destination' ? { ...p, visibility: 'internal' as const } : p)),
    }));
    const result = findings(model);
    expect(result.map((f) => [f.rule, f.operationId])).toEqual([['compat-parameter-internal', 'GetLostCalls']]);
    expect(result[0]!.pointer).toMatch(/^\/paths\/~1lost_calls\/get\/parameters\/\d+$/);
  });

  it('removing an output field of an action', () => {
    const model = withOperation('GetCallHistoryItemByID', (op) =>
      op.payload.kind === 'item' ? ({ ...op, payload: { ...op.payload, view: withoutField(op.payload.view, 'callEnded') } } as Operation) : op,
    );
    const result = findings(model);
    expect(result.map((f) => [f.rule, f.operationId])).toEqual([['compat-output-removed', 'GetCallHistoryItemByID']]);
    expect(result[0]!.message).toMatch(/callEnded/);
    expect(result[0]!.pointer).toMatch(/^\/(paths\/~1call_history~1\{call_id\}\/get|definitions\/CallHistoryEntryEdited)/);
  });

  it('removing an output field of a webhook trigger (its notification content)', () => {
    const model = withOperation('CallConnected', (op) =>
      op.kind === 'webhook' ? { ...op, event: { ...op.event, data: withoutField(op.event.data, 'callConnected') } } : op,
    );
    const result = findings(model);
    expect(result.map((f) => [f.rule, f.operationId])).toEqual([['compat-output-removed', 'CallConnected']]);
    expect(result[0]!.pointer).toMatch(/^\/(paths\/~1webhooks~1CallConnected|definitions\/CallConnectedData)/);
  });

  it('removing an operation', () => {
    const result = findings(withOperation('GetLostCalls', () => null));
    expect(result.map((f) => [f.rule, f.operationId])).toEqual([['compat-operation-removed', 'GetLostCalls']]);
    expect(result[0]!.pointer).not.toBe('');
  });

  it('making an operation internal', () => {
    const result = findings(withOperation('Dial', (op) => ({ ...op, visibility: 'internal' })));
    expect(result.map((f) => [f.rule, f.operationId])).toEqual([['compat-operation-internal', 'Dial']]);
    expect(result[0]!.pointer).toMatch(/^\/paths\/~1dial\/post/);
  });

  it('changing the format of an output field (a format added where there was none)', () => {
    const model = withOperation('GetGroups', (op) =>
      op.kind === 'polling'
        ? { ...op, payload: { ...op.payload, view: { ...op.payload.view, schemaName: 'GroupEdited', formatOverrides: {} } } }
        : op,
    );
    const result = findings(model);
    expect(result.map((f) => [f.rule, f.operationId])).toContainEqual(['compat-output-retyped', 'GetGroups']);
    expect(result.find((f) => f.rule === 'compat-output-retyped')!.message).toMatch(/created/);
  });
});
