/** Shared shape of the per-rule tests: registered, silent on the passing case, precise on the failing one. */
import { describe, expect, it } from 'vitest';
import { runRules } from '../../checks/engine';
import type { Finding, Severity } from '../../lib/finding';
import { RULES } from '../../checks/rules';
import { type FixtureFiles, baseFiles } from './fixture';

/** Runs one registered rule (and only it) over the files. */
export function findingsOf(ruleId: string, files: FixtureFiles): Finding[] {
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`rule ${ruleId} is not registered`);
  return runRules(files, [rule]);
}

export interface RuleCase {
  /** Name of the failing case. */
  name?: string;
  /** Breaks the base fixture. */
  fail: (files: FixtureFiles) => void;
  /** Where the finding must point. */
  pointer: string;
  file?: string;
  /** Part of the message, when it matters. */
  message?: RegExp;
  /** The finding's severity, when the rule reports some shapes milder than others. */
  severity?: Severity;
}

export interface RuleSpec {
  /** Extra passing variants beyond the base fixture (edge cases the rule must accept). */
  pass?: Array<{ name: string; mutate: (files: FixtureFiles) => void }>;
  fail: RuleCase[];
}

export function ruleTest(ruleId: string, spec: RuleSpec): void {
  describe(`rule ${ruleId}`, () => {
    it('is registered', () => {
      expect(RULES.map((r) => r.id)).toContain(ruleId);
    });
    it('finds nothing in the passing base connector', () => {
      expect(findingsOf(ruleId, baseFiles())).toEqual([]);
    });
    for (const variant of spec.pass ?? []) {
      it(`accepts ${variant.name}`, () => {
        const files = baseFiles();
        variant.mutate(files);
        expect(findingsOf(ruleId, files)).toEqual([]);
      });
    }
    for (const c of spec.fail) {
      it(`flags ${c.name ?? 'the failing case'} at ${c.pointer || "''"}`, () => {
        const files = baseFiles();
        c.fail(files);
        const findings = findingsOf(ruleId, files);
        const match = findings.find((f) => f.pointer === c.pointer && f.file === (c.file ?? 'apiDefinition.swagger.json'));
        expect(match, JSON.stringify(findings, null, 2)).toBeDefined();
        expect(match!.rule).toBe(ruleId);
        if (c.message) expect(match!.message).toMatch(c.message);
        if (c.severity) expect(match!.severity).toBe(c.severity);
      });
    }
  });
}

/** Pointers of the fixture's operations. */
export const GET_CALL = '/paths/~1calls~1{call_id}/get';
export const GET_CALLS = '/paths/~1trigger~1calls/get';
export const WEBHOOK = '/paths/~1webhooks~1CallStarted/post';
export const DELETE_WEBHOOK = '/paths/~1webhooks~1{webhook_id}/delete';

/** Shortcuts into the fixture. */
export const op = {
  getCall: (f: FixtureFiles) => f.definition.paths['/calls/{call_id}'].get,
  getCalls: (f: FixtureFiles) => f.definition.paths['/trigger/calls'].get,
  webhook: (f: FixtureFiles) => f.definition.paths['/webhooks/CallStarted'].post,
  deleteWebhook: (f: FixtureFiles) => f.definition.paths['/webhooks/{webhook_id}'].delete,
};
export const policy = (f: FixtureFiles) => f.properties.properties.policyTemplateInstances[0].parameters;
