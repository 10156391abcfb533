import { type Accessor, ExpressionError, parseTriggerExpression } from '../../lib/expression';
import { type Connector, type JsonObject, type OperationRef, PROPERTIES_FILE, isObject, str } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { isInternal, opId } from '../walk';

type Token = Accessor;

/**
 * `@{triggerBody().data[0].callID}` or `@triggerBody().data` → [data, 0, callID], read by the same
 * parser the sandbox evaluates the policy with; undefined for anything it refuses.
 */
export function parseTriggerBodyPath(expression: string): Token[] | undefined {
  try {
    return parseTriggerExpression(expression).accessors;
  } catch (error) {
    if (error instanceof ExpressionError) return undefined;
    throw error;
  }
}

/** Follows tokens through a schema; a number steps into array items. */
function schemaAt(c: Connector, root: unknown, rootPtr: string, tokens: Token[]): JsonObject | undefined {
  let current = c.deref(root, rootPtr);
  for (const token of tokens) {
    if (!current) return undefined;
    const { node, pointer: at } = current;
    if (typeof token === 'number') {
      current = node.type === 'array' ? c.deref(node.items, `${at}/items`) : undefined;
    } else {
      const props = isObject(node.properties) ? node.properties : {};
      current = token in props ? c.deref(props[token], `${at}${pointer('properties', token)}`) : undefined;
    }
  }
  return current?.node;
}

export interface Policy {
  /** Pointer to the policy instance in apiProperties.json. */
  pointer: string;
  params: JsonObject;
  operations: string[];
}

/** The `pollingtrigger` policy instances of apiProperties.json. */
export function pollingPolicies(c: Connector): Policy[] {
  const list = c.apiProperties?.policyTemplateInstances;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, index) => {
    if (!isObject(entry) || entry.templateId !== 'pollingtrigger') return [];
    const params = isObject(entry.parameters) ? entry.parameters : {};
    const names = params['x-ms-apimTemplate-operationName'];
    return [{
      pointer: pointer('properties', 'policyTemplateInstances', index),
      params,
      operations: Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [],
    }];
  });
}

function checkPolicy(c: Connector, op: OperationRef, policy: Policy, hits: RuleHit[]): void {
  const at = (...tokens: string[]): string => pointer(...[...policyTokens(policy.pointer), 'parameters', ...tokens]);
  const extra = opId(op);
  const success = c.successResponses(op).find((r) => r.code === '200');
  const schema = success?.node.schema;
  const schemaPtr = `${success?.pointer ?? ''}/schema`;
  const config = policy.params['x-ms-apimTemplateParameter.triggerConfig'];
  if (!isObject(config) || Object.keys(config).length === 0) {
    hits.push({ file: PROPERTIES_FILE, pointer: at(), ...extra, message: `The pollingtrigger policy for '${op.operationId}' has no 'x-ms-apimTemplateParameter.triggerConfig' naming the state parameter.` });
    return;
  }
  const dataPathText = str(policy.params['x-ms-apimTemplateParameter.triggerDataPath']);
  const dataPath = dataPathText === undefined ? undefined : parseTriggerBodyPath(dataPathText);
  const dataNode = dataPath && schemaAt(c, schema, schemaPtr, dataPath);
  if (!dataPath || dataNode?.type !== 'array') {
    hits.push({
      file: PROPERTIES_FILE,
      pointer: at('x-ms-apimTemplateParameter.triggerDataPath'),
      ...extra,
      message: `The trigger data path '${dataPathText ?? ''}' does not point at an array in the 200 schema of '${op.operationId}'.`,
    });
  }
  const params = c.parameters(op);
  for (const [name, expression] of Object.entries(config)) {
    const param = params.find((p) => p.node.name === name && p.node.in === 'query');
    if (!param) {
      hits.push({ file: PROPERTIES_FILE, pointer: at('x-ms-apimTemplateParameter.triggerConfig', name), ...extra, message: `The state parameter '${name}' is not a query parameter of '${op.operationId}'.` });
    } else {
      const missing = [
        isInternal(param.node) ? undefined : 'internal',
        param.node.required === true ? undefined : 'required',
        param.node.default !== undefined ? undefined : 'defaulted',
      ].filter((m) => m !== undefined);
      if (missing.length > 0) {
        hits.push({ pointer: param.pointer, ...extra, message: `The polling state parameter '${name}' must be internal, required and defaulted (it is not ${missing.join(', ')}).` });
      }
    }
    const tokens = typeof expression === 'string' ? parseTriggerBodyPath(expression) : undefined;
    const index = tokens ? tokens.findIndex((t) => typeof t === 'number') : -1;
    const field = tokens && index >= 0 ? schemaAt(c, schema, schemaPtr, tokens) : undefined;
    const arrayMatches = dataPath !== undefined && tokens !== undefined && JSON.stringify(tokens.slice(0, index)) === JSON.stringify(dataPath);
    if (!tokens || index < 0 || field?.type !== 'integer' || !arrayMatches) {
      hits.push({
        file: PROPERTIES_FILE,
        pointer: at('x-ms-apimTemplateParameter.triggerConfig', name),
        ...extra,
        message: `The state expression '${String(expression)}' must name an integer field of an item of the trigger data array (${dataPathText ?? 'missing'}) in the 200 schema of '${op.operationId}'.`,
      });
    }
  }
}

function policyTokens(ptr: string): string[] {
  return ptr.slice(1).split('/');
}

export const rule: Rule = {
  id: 'polling-trigger-state',
  severity: 'error',
  description: 'Every polling trigger (`x-ms-trigger: batch`) is named by a `pollingtrigger` policy whose state parameter is internal, required and defaulted, whose state expression names an integer field of an item of the response array, and whose data path names that array.',
  fix: 'In apiProperties.json add a `pollingtrigger` policy: `triggerConfig: { "<state param>": "@{triggerBody().data[0].<id field>}" }`, `triggerDataPath: "@triggerBody().data"`, `x-ms-apimTemplate-operationName: ["<operationId>"]`; make the state parameter internal, required, default 0.',
  source: SOURCES.polling,
  check(c) {
    const hits: RuleHit[] = [];
    const policies = pollingPolicies(c);
    const ids = c.operationIds();
    for (const policy of policies) {
      policy.operations.forEach((name, i) => {
        if (!ids.has(name)) {
          hits.push({ file: PROPERTIES_FILE, pointer: pointer(...policyTokens(policy.pointer), 'parameters', 'x-ms-apimTemplate-operationName', i), message: `The pollingtrigger policy names the unknown operation '${name}'.` });
        }
      });
    }
    for (const op of c.operations().filter((o) => c.triggerKind(o) === 'batch')) {
      const mine = policies.filter((p) => op.operationId !== undefined && p.operations.includes(op.operationId));
      if (mine.length === 0) {
        hits.push({ pointer: op.pointer, ...opId(op), message: `No pollingtrigger policy in apiProperties.json names the polling trigger '${op.operationId ?? op.path}', so it has no state and fires on old items.` });
      }
      for (const policy of mine) checkPolicy(c, op, policy, hits);
    }
    return hits;
  },
};
