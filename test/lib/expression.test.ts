import { describe, expect, it } from 'vitest';
import type { Json } from '../../lib/definition';
import { evaluateTriggerExpression, ExpressionError } from '../../lib/expression';

const body: Json = { data: [{ callID: 5003, 'odd key': 'v' }, { callID: 5001 }], meta: { next: null } };

describe('pollingtrigger state expressions', () => {
  it('interpolates @{...} to a string', () => {
    expect(evaluateTriggerExpression('@{triggerBody().data[0].callID}', body)).toBe('5003');
    expect(evaluateTriggerExpression("@{triggerBody()['data'][1]?.callID}", body)).toBe('5001');
    expect(evaluateTriggerExpression("@{triggerBody().data[0]['odd key']}", body)).toBe('v');
  });

  it('returns the value for @expr (the split-on array)', () => {
    expect(evaluateTriggerExpression('@triggerBody().data', body)).toEqual([{ callID: 5003, 'odd key': 'v' }, { callID: 5001 }]);
  });

  it('yields undefined for an empty list or a missing path instead of throwing', () => {
    expect(evaluateTriggerExpression('@{triggerBody().data[0].callID}', { data: [] })).toBeUndefined();
    expect(evaluateTriggerExpression('@{triggerBody().nothing.here}', body)).toBeUndefined();
    expect(evaluateTriggerExpression('@{triggerBody().data[0].callID}', '<html>')).toBeUndefined();
  });

  it('rejects what it does not understand with a clear message', () => {
    expect(() => evaluateTriggerExpression('@{body(\'x\').id}', body)).toThrow(ExpressionError);
    expect(() => evaluateTriggerExpression('@{triggerBody().data[x]}', body)).toThrow(/cannot read "\[x\]"/);
    expect(() => evaluateTriggerExpression('triggerBody().data', body)).toThrow(/must start with @/);
  });
});
