import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'ConsumesMissing',
  severity: 'warn',
  description: 'An operation with a body or form data parameter names at least one MIME type in `consumes` (its own or the document\'s).',
  fix: 'Add `"consumes": ["application/json"]` to the operation.',
  source: SOURCES.validator,
  check(c) {
    const global = Array.isArray(c.doc.consumes) ? c.doc.consumes : [];
    const hits = [];
    for (const op of c.operations()) {
      const hasPayload = c.parameters(op).some((p) => p.node.in === 'body' || p.node.in === 'formData');
      const own = Array.isArray(op.operation.consumes) ? op.operation.consumes : undefined;
      if (hasPayload && (own ?? global).length === 0) {
        hits.push({ pointer: op.pointer, ...opId(op), message: `At least one supported MIME type must be provided in 'consumes' for operation '${op.operationId ?? op.path}'.` });
      }
    }
    return hits;
  },
};
