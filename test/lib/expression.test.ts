import { describe, expect, it } from 'vitest';
import type { Json } from '../../lib/definition';
import { evaluateString, evaluateTriggerExpression, ExpressionError, functionsCalled, parseTemplate } from '../../lib/expression';

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
    expect(() => evaluateTriggerExpression('@{triggerBody().data[x]}', body)).toThrow(/"x" is neither a function call nor a literal/);
    expect(() => evaluateTriggerExpression('triggerBody().data', body)).toThrow(/must start with @/);
  });
});

describe('workflow expression language', () => {
  const event: Json = { eventType: 'CallConnected', data: { callID: 7, caller: '+37100000001', note: null } };
  const scope = { functions: { triggerBody: { arity: [0, 0] as [number, number], run: () => event } } };

  it('yields the value of @expr and a string from @{...}', () => {
    expect(evaluateString("@triggerBody()?['data']?['callID']", scope)).toBe(7);
    expect(evaluateString("Call @{triggerBody()?['data']?['callID']} from @{triggerBody()?['data']?['caller']}", scope)).toBe('Call 7 from +37100000001');
    expect(evaluateString("@{triggerBody()?['data']?['callID']}", scope)).toBe('7');
  });

  it('?[...] yields null for an absent property or a null base; without ? it is an error', () => {
    expect(evaluateString("@triggerBody()?['data']?['missing']", scope)).toBeNull();
    expect(evaluateString("@triggerBody()?['nothing']?['deeper']", scope)).toBeNull();
    expect(evaluateString("x@{triggerBody()?['data']?['note']}y", scope)).toBe('xy');
    expect(() => evaluateString("@triggerBody()['missing']", scope)).toThrow(/"missing" does not exist/);
    expect(() => evaluateString("@triggerBody()?['data']['note']['x']", scope)).toThrow(/of null/);
  });

  it('reads literals, escapes and nested calls as documented', () => {
    expect(evaluateString("@concat('it''s', ' ', string(2))", {})).toBe("it's 2");
    expect(evaluateString('@@not an expression', {})).toBe('@not an expression');
    expect(evaluateString('a @@{b}', {})).toBe('a @{b}');
    expect(evaluateString("/files/@{encodeURIComponent(encodeURIComponent('a/b.xlsx'))}", {})).toBe('/files/a%252Fb.xlsx');
    expect(evaluateString("@{concat('}', '{')}", {})).toBe('}{');
    expect(evaluateString('@if(equals(1, 1), true, null)', {})).toBe(true);
  });

  it('int() keeps an id beyond 2^53 whole up to Int64 and fails beyond it, never rounding', () => {
    expect(evaluateString("@int('42')", {})).toBe(42);
    // The runtime holds an integer beyond 2^53 as its digits (lib/json.ts): int() keeps them.
    expect(evaluateString("@int('9223372036854775807')", {})).toBe('9223372036854775807');
    expect(() => evaluateString("@int('9223372036854775808')", {})).toThrow(/int\(\): 9223372036854775808 is beyond Int64/);
    expect(() => evaluateString("@int('100000000000000000003')", {})).toThrow(/beyond Int64.*cannot be passed as an integer/);
    expect(() => evaluateString('@int(100000000000000000000)', {})).toThrow(/beyond Int64/);
    expect(() => evaluateString("@int('4.5')", {})).toThrow(/is not an integer/);
  });

  it('union() merges arrays keeping each item once; sort() orders ascending, by a property when named (absent first)', () => {
    const calls = { functions: { calls: { arity: [0, 0] as [number, number], run: (): Json => [{ id: 2, ended: '2026-11-02T11:12:18+02:00' }, { id: 3, ended: '2026-11-02T11:06:22+02:00' }, { id: 1 }] } } };
    expect(evaluateString("@union(createArray(1, 2), createArray(2, 3), createArray(1))", {})).toEqual([1, 2, 3]);
    expect(evaluateString("@sort(createArray(3, 1, 2))", {})).toEqual([1, 2, 3]);
    expect(evaluateString("@sort(createArray('b', 'a'))", {})).toEqual(['a', 'b']);
    expect(evaluateString("@last(sort(calls(), 'ended'))?['id']", calls)).toBe(2);
    expect(evaluateString("@first(sort(calls(), 'ended'))?['id']", calls)).toBe(1);
    expect(() => evaluateString("@union(createArray(1), 'x')", {})).toThrow(/union\(\): expected arrays/);
    expect(() => evaluateString("@sort('x')", {})).toThrow(/sort\(\): expected an array/);
  });

  it('names an unknown function and a wrong argument count', () => {
    let error: ExpressionError | undefined;
    try {
      evaluateString("@formatNumber(1, 'x')", {});
    } catch (e) {
      error = e as ExpressionError;
    }
    expect(error?.functionName).toBe('formatNumber');
    expect(error?.message).toMatch(/"formatNumber" is not supported/);
    expect(() => evaluateString("@toLower('a', 'b')", {})).toThrow(/toLower\(\) takes 1 argument/);
    expect(functionsCalled(parseTemplate("@{a(b('x'))?['y']} @{c()}"))).toEqual(['a', 'b', 'c']);
  });
});
