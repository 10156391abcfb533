import { type Rule, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'DefaultResponseHasSchema',
  severity: 'error',
  description: 'A `default` response has no schema (schemas belong on the expected responses).',
  fix: 'Remove `schema` from the `default` response; declare the error statuses with their schema instead.',
  severityReason: 'Pipeline: Microsoft\'s pull-request validation fails on a default response with a schema (PowerPlatformConnectors PR #3841; PR #4006 "Fixed validation error from default").',
  source: SOURCES.defaultResponsePr,
  check(c) {
    const hits = [];
    for (const op of c.operations()) {
      const response = c.responses(op).find((r) => r.code === 'default');
      if (response && response.node.schema !== undefined) {
        hits.push({ pointer: `${response.pointer}/schema`, ...opId(op), message: "The 'default' response should not have a schema definition." });
      }
    }
    return hits;
  },
};
