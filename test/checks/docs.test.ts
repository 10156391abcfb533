import { describe, expect, it } from 'vitest';
import { PIPELINE_CHECKS, renderRulesDoc } from '../../checks/docs';
import { WARNING_REASON } from '../../checks/rule';
import { RULES } from '../../checks/rules';
import { COMPAT_RULE_DOCS } from '../../connector/compat/rules';

describe('rules documentation', () => {
  const doc = renderRulesDoc();

  it('lists every rule with its severity, meaning, fix and source', () => {
    for (const rule of RULES) {
      const start = doc.indexOf(`### \`${rule.id}\`\n`);
      expect(start, rule.id).toBeGreaterThan(0);
      const section = doc.slice(start, doc.indexOf('\n### ', start + 1));
      expect(section).toContain(`Severity: ${rule.severity}.`);
      // Every severity is explained: the rule's own reason, or the principle's reason for a warning.
      expect(section).toContain(rule.severityReason ?? WARNING_REASON);
      expect(section).toContain(rule.description);
      expect(section).toContain(`Fix: ${rule.fix}`);
      if (rule.source) expect(section).toContain(rule.source.url);
      // Catalogue rules name their catalogue id and link.
      if (/^[A-Z]/.test(rule.id)) expect(section).toContain(`Catalogue: \`${rule.id}\``);
    }
    for (const check of PIPELINE_CHECKS) expect(doc).toContain(`### \`${check.id}\``);
  });

  it('lists every rule of the compatibility guard, one entry each, with its meaning and fix', () => {
    const ids = Object.keys(COMPAT_RULE_DOCS);
    expect(ids).toHaveLength(14);
    expect(doc).toContain(`## Compatibility guard (${ids.length})`);
    for (const [id, rule] of Object.entries(COMPAT_RULE_DOCS)) {
      const start = doc.indexOf(`### \`${id}\`\n`);
      expect(start, id).toBeGreaterThan(0);
      expect(doc.indexOf(`### \`${id}\`\n`, start + 1), id).toBe(-1);
      const section = doc.slice(start, doc.indexOf('\n### ', start + 1));
      expect(section).toContain('Severity: error.');
      expect(section).toContain(rule.description);
      expect(section).toContain(`Fix: ${rule.fix}`);
    }
    // The generic entry the per-rule entries replace.
    expect(doc).not.toContain('### `compatibility guard`');
  });

  it('is deterministic Markdown with LF line ends and one trailing newline', () => {
    expect(renderRulesDoc()).toBe(doc);
    expect(doc).not.toContain('\r');
    expect(doc.endsWith('\n')).toBe(true);
    expect(doc.endsWith('\n\n')).toBe(false);
  });
});
