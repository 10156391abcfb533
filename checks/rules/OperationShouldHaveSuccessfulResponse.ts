import { type Connector, isObject } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { isInternal, opId } from '../walk';

/** operationIds that feed an `x-ms-dynamic-schema` or `x-ms-dynamic-properties` somewhere in the definition. */
function dynamicSchemaSources(c: Connector): Set<string> {
  return c.memoize('dynamic schema sources', () => {
    const ids = new Set<string>();
    const todo: unknown[] = [c.doc];
    while (todo.length > 0) {
      const node = todo.pop();
      if (Array.isArray(node)) { todo.push(...node); continue; }
      if (!isObject(node)) continue;
      for (const key of ['x-ms-dynamic-schema', 'x-ms-dynamic-properties']) {
        const ext = node[key];
        if (isObject(ext) && typeof ext.operationId === 'string') ids.add(ext.operationId);
      }
      todo.push(...Object.values(node));
    }
    return ids;
  });
}

export const rule: Rule = {
  id: 'OperationShouldHaveSuccessfulResponse',
  severity: 'warn',
  description: 'Every operation declares at least one successful (2xx) response.',
  fix: 'Declare the 200 (or 201/202/204) response the backend returns on success.',
  severityReason:
    'Never an error: an operation without a 2xx response still runs, its output is only untyped. `responses: {}` also breaks the Swagger 2.0 schema (`minProperties`), ' +
    'which the swagger-schema step leaves to this rule so that it is reported once: certified connectors import and run with it on webhook subscriptions (the platform ' +
    'reads the notification content, not the subscribe response) and on internal operations that only feed a dynamic schema.',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    for (const op of c.operations()) {
      if (c.successResponses(op).length > 0) continue;
      const responses = op.operation.responses;
      const empty = !isObject(responses) || Object.keys(responses).length === 0;
      const name = op.operationId ?? op.path;
      let message = `The operation '${name}' should have at least one successful response definition.`;
      if (empty) {
        const role = c.webhookOperations().includes(op)
          ? ' It is a webhook subscription: the trigger\'s outputs come from x-ms-notification-content, so flows still work.'
          : isInternal(op.operation) && op.operationId !== undefined && dynamicSchemaSources(c).has(op.operationId)
            ? ' It only feeds a dynamic schema, whose body the designer reads as it comes.'
            : ' Its outputs are untyped in the designer.';
        message = `The operation '${name}' declares no response at all (\`responses: {}\`, which the Swagger 2.0 schema also refuses).${role} Declare the success response it returns.`;
      }
      hits.push({ pointer: `${op.pointer}/responses`, ...opId(op), message });
    }
    return hits;
  },
};
