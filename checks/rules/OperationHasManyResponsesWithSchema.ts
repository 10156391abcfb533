import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';

export const rule: Rule = {
  id: 'OperationHasManyResponsesWithSchema',
  severity: 'warn',
  description: 'An operation declares a schema on one response only: the designer uses one schema.',
  fix: 'Keep the schema of the success response and drop the others (error responses keep their description), or accept the warning with its reason in checks/accepted-warnings.yaml.',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    for (const op of c.operations()) {
      const withSchema = c.responses(op).filter((r) => r.node.schema !== undefined);
      if (withSchema.length < 2) continue;
      hits.push({
        pointer: `${op.pointer}/responses`,
        ...opId(op),
        message: `The operation '${op.operationId ?? op.path}' has more than one response with specified schema (${withSchema.map((r) => r.code).join(', ')}), only one schema will be used in the designer.`,
      });
    }
    return hits;
  },
};
