import { type Rule, SOURCES } from '../rule';
import { isInternal, opId } from '../walk';

export const rule: Rule = {
  id: 'SchemaDefinitionSetIncorrectly',
  severity: 'warn',
  description: 'Every visible operation that returns content defines its output schema: on the 200 or 201 response, or, for a webhook, in `x-ms-notification-content`.',
  fix: 'Add `schema` to the 200/201 response, or `x-ms-notification-content: { description, schema }` to the webhook\'s path item.',
  source: SOURCES.validator,
  check(c) {
    const hits = [];
    for (const op of c.operations()) {
      if (c.triggerKind(op) === 'single') {
        const content = c.notificationContent(op);
        if (content && content.node.schema === undefined) {
          hits.push({ pointer: content.pointer, ...opId(op), message: `The webhook '${op.operationId ?? op.path}' has no schema in 'x-ms-notification-content'.` });
        }
        continue; // a missing extension is OperationMustHaveNotificationContentExtension's finding
      }
      // Nothing to show: an internal operation (an unsubscribe DELETE) or one that only answers 204 No Content.
      const success = c.successResponses(op);
      if (isInternal(op.operation) || (success.length > 0 && success.every((r) => r.code === '204'))) continue;
      const withSchema = c.successResponses(op).some((r) => (r.code === '200' || r.code === '201') && r.node.schema !== undefined);
      if (!withSchema) {
        hits.push({ pointer: `${op.pointer}/responses`, ...opId(op), message: `The operation '${op.operationId ?? op.path}' should define an output schema on the 200 or 201 response.` });
      }
    }
    return hits;
  },
};
