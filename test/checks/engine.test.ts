import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connector } from '../../checks/connector';
import { runRules } from '../../checks/engine';
import type { Rule } from '../../checks/rule';
import { RULES } from '../../checks/rules';
import { baseFiles } from './fixture';

describe('rule engine', () => {
  it('finds nothing at all in the base fixture', () => {
    expect(runRules(baseFiles())).toEqual([]);
  });

  it('has unique ids, one-line descriptions and a fix for every rule', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.description, rule.id).not.toMatch(/\n/);
      expect(rule.description.length, rule.id).toBeGreaterThan(10);
      expect(rule.fix.length, rule.id).toBeGreaterThan(5);
    }
  });

  it('says why every error rule is an error (the severity principle), and only errors need to', () => {
    for (const rule of RULES.filter((r) => r.severity === 'error')) {
      expect(rule.severityReason, rule.id).toMatch(/^(Import|Runtime|Pipeline|Error only)\b/);
    }
  });

  it('lets a hit lower the rule\'s severity for its milder shapes', () => {
    const mixed: Rule = { id: 'mixed', severity: 'error', description: 'x', fix: 'x', check: () => [{ pointer: '/a', message: 'bad' }, { pointer: '/b', message: 'mild', severity: 'warn' }] };
    expect(runRules(baseFiles(), [mixed]).map((f) => [f.pointer, f.severity])).toEqual([['/a', 'error'], ['/b', 'warn']]);
  });

  it('has one test file per rule and one rule per test file', () => {
    const tests = readdirSync(join(__dirname, 'rules')).filter((f) => f.endsWith('.test.ts')).map((f) => f.replace(/\.test\.ts$/, ''));
    expect(tests.sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('keeps the other rules\' findings when one rule crashes, and reports the crash as a warning (a defect of the check)', () => {
    const crashing: Rule = { id: 'crashes', severity: 'error', description: 'x', fix: 'x', check: () => { throw new Error('boom'); } };
    const flagging: Rule = { id: 'flags', severity: 'warn', description: 'x', fix: 'x', check: () => [{ pointer: '/info', message: 'm' }] };
    const findings = runRules(baseFiles(), [crashing, flagging]);
    expect(findings).toEqual([
      { file: 'apiDefinition.swagger.json', pointer: '', rule: 'crashes', severity: 'warn', message: 'rule crashed: boom (a defect of the check, not of the connector; the other rules ran)' },
      { file: 'apiDefinition.swagger.json', pointer: '/info', rule: 'flags', severity: 'warn', message: 'm' },
    ]);
  });

  it('reports a location reached through several operations once', () => {
    const twice: Rule = { id: 'twice', severity: 'warn', description: 'x', fix: 'x', check: () => [{ pointer: '/definitions/Call', message: 'm' }, { pointer: '/definitions/Call', message: 'm' }] };
    expect(runRules(baseFiles(), [twice])).toHaveLength(1);
  });

  it('survives a definition that is not an object', () => {
    expect(() => runRules({ definition: 42 })).not.toThrow();
  });
});

describe('Connector schema walk', () => {
  it('follows $ref to the definition, reports its real pointer, and stops at cycles', () => {
    const files = baseFiles();
    const c = new Connector(files);
    const seen: string[] = [];
    c.walkSchema({ $ref: '#/definitions/Call' }, '/x', (v) => {
      seen.push(v.pointer);
    });
    // Call.related refers back to Call: visited once as a property, not expanded again.
    expect(seen).toEqual(['/definitions/Call', '/definitions/Call/properties/callID', '/definitions/Call/properties/caller']);
  });

  it('merges path-level and operation-level parameters, the operation winning', () => {
    const files = baseFiles();
    files.definition.paths['/calls/{call_id}'].parameters = [
      { name: 'call_id', in: 'path', required: true, type: 'string' },
      { name: 'tenant', in: 'query', type: 'string' },
    ];
    const c = new Connector(files);
    const op = c.operations().find((o) => o.operationId === 'GetCallByID')!;
    expect(c.parameters(op).map((p) => p.pointer).sort()).toEqual([
      '/paths/~1calls~1{call_id}/get/parameters/0',
      '/paths/~1calls~1{call_id}/parameters/1',
    ]);
  });
});
