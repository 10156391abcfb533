import { type Accessor, ExpressionError, parseTriggerExpression } from '../../lib/expression';
import { scanCSharp } from '../csharp';
import { type Connector, type JsonObject, type OperationRef, PROPERTIES_FILE, isObject, policyTemplateId, str } from '../connector';
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
    if (!isObject(entry) || policyTemplateId(entry) !== 'pollingtrigger') return [];
    const params = isObject(entry.parameters) ? entry.parameters : {};
    const names = params['x-ms-apimTemplate-operationName'];
    return [{
      pointer: pointer('properties', 'policyTemplateInstances', index),
      params,
      operations: Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [],
    }];
  });
}

/**
 * The `@{triggerBody()...}` expressions of a state value: the whole value (`@{triggerBody().data[0].id}`)
 * or expressions embedded in text, as in the TripPin tutorial's `TripId gt @{triggerBody().value[0].TripId}`.
 * Undefined when the value holds no expression at all (a constant such as `1`).
 */
export function stateExpressions(value: string): Token[][] | undefined {
  const whole = parseTriggerBodyPath(value);
  if (whole) return [whole];
  const embedded = [...value.matchAll(/@\{[^{}]*\}/g)].map((m) => parseTriggerBodyPath(m[0]));
  if (embedded.length === 0) return undefined;
  return embedded.every((t) => t !== undefined) ? (embedded as Token[][]) : [];
}

/** A cursor can be an id, a number or a timestamp string (`lastModified gt ...` is as good as `id gt ...`). */
const SCALAR_TYPES = ['integer', 'number', 'string'];

function checkPolicy(c: Connector, op: OperationRef, policy: Policy, hits: RuleHit[]): void {
  const at = (...tokens: string[]): string => pointer(...[...policyTokens(policy.pointer), 'parameters', ...tokens]);
  const extra = { ...opId(op), severity: 'warn' as const };
  const success = c.successResponses(op).find((r) => r.code === '200');
  const schema = success?.node.schema;
  const schemaPtr = `${success?.pointer ?? ''}/schema`;
  const config = policy.params['x-ms-apimTemplateParameter.triggerConfig'];
  if (!isObject(config) || Object.keys(config).length === 0) {
    hits.push({ file: PROPERTIES_FILE, pointer: at(), ...extra, message: `The pollingtrigger policy for '${op.operationId}' has no 'x-ms-apimTemplateParameter.triggerConfig' naming the state parameter, so the trigger has no state.` });
    return;
  }
  const dataPathText = str(policy.params['x-ms-apimTemplateParameter.triggerDataPath']);
  const dataPath = dataPathText === undefined ? undefined : parseTriggerBodyPath(dataPathText);
  const dataNode = dataPath && schemaAt(c, schema, schemaPtr, dataPath);
  if (!dataPath || (schema !== undefined && dataNode?.type !== 'array')) {
    hits.push({
      file: PROPERTIES_FILE,
      pointer: at('x-ms-apimTemplateParameter.triggerDataPath'),
      ...extra,
      message: `The trigger data path '${dataPathText ?? ''}' does not point at an array in the 200 schema of '${op.operationId}'.`,
    });
  }
  const params = c.parameters(op);
  for (const [name, expression] of Object.entries(config)) {
    const statePtr = at('x-ms-apimTemplateParameter.triggerConfig', name);
    if (name.trim() === '') {
      // The Events Calendar: `triggerConfig: { "": "1" }`; the policy sets a query parameter with no name.
      hits.push({ file: PROPERTIES_FILE, pointer: statePtr, ...opId(op), message: `The pollingtrigger policy for '${op.operationId}' names an empty state parameter: the policy writes the state into a query parameter without a name, so the trigger never advances.` });
      continue;
    }
    const param = params.find((p) => p.node.name === name && p.node.in === 'query');
    if (!param) {
      hits.push({ file: PROPERTIES_FILE, pointer: statePtr, ...extra, message: `The state parameter '${name}' is not a query parameter of '${op.operationId}'.` });
    } else {
      const missing = [
        isInternal(param.node) ? undefined : 'internal',
        param.node.required === true ? undefined : 'required',
        param.node.default !== undefined ? undefined : 'defaulted',
      ].filter((m) => m !== undefined);
      if (missing.length > 0) {
        hits.push({ pointer: param.pointer, ...extra, message: `The polling state parameter '${name}' is best internal, required and defaulted (it is not ${missing.join(', ')}), so the first poll has a state and makers cannot shift it.` });
      }
    }
    const expressions = typeof expression === 'string' ? stateExpressions(expression) : [];
    if (expressions === undefined) {
      hits.push({ file: PROPERTIES_FILE, pointer: statePtr, ...extra, message: `The state value '${String(expression)}' holds no @{triggerBody()...} expression: the state never advances.` });
      continue;
    }
    const unreadable = expressions.length === 0;
    const fields = expressions.map((tokens) => schemaAt(c, schema, schemaPtr, tokens));
    const bad = schema !== undefined && fields.some((field) => !SCALAR_TYPES.includes(str(field?.type) ?? ''));
    if (unreadable || bad) {
      hits.push({
        file: PROPERTIES_FILE,
        pointer: statePtr,
        ...extra,
        message: `The state expression '${String(expression)}' must name an id, number or timestamp field of the 200 schema of '${op.operationId}' (e.g. @{triggerBody()${dataPathText?.replace(/^@\{?triggerBody\(\)/, '').replace(/\}$/, '') ?? '.data'}[0].id}).`,
      });
    }
  }
}

function policyTokens(ptr: string): string[] {
  return ptr.slice(1).split('/');
}

/** The script answers the polling protocol itself for this operation (SurveyMonkey, DocuSign, this project). */
function scriptAnswers(c: Connector, op: OperationRef): boolean {
  if (c.script === undefined || op.operationId === undefined) return false;
  const list = c.apiProperties?.scriptOperations;
  if (Array.isArray(list) && !list.includes(op.operationId)) return false;
  return scanCSharp(c.script).literals.some((l) => l.value === op.operationId);
}

/** The definition shows the API answers the protocol: a 202 or a Location / Retry-After header on a success response. */
function apiAnswers(c: Connector, op: OperationRef): boolean {
  return c.successResponses(op).some((r) => r.code === '202'
    || (isObject(r.node.headers) && Object.keys(r.node.headers).some((h) => ['location', 'retry-after'].includes(h.toLowerCase()))));
}

export const rule: Rule = {
  id: 'polling-trigger-state',
  severity: 'error',
  description: 'Every polling trigger (`x-ms-trigger: batch`) keeps a state: a `pollingtrigger` policy names it (state parameter internal, required and defaulted; state expression reading an id, number or timestamp of the 200 schema; data path naming the array), or the script or the API answers the polling protocol (202/200 + `Location`).',
  fix: 'In apiProperties.json add a `pollingtrigger` policy: `triggerConfig: { "<state param>": "@{triggerBody().data[0].<id field>}" }`, `triggerDataPath: "@triggerBody().data"`, `x-ms-apimTemplate-operationName: ["<operationId>"]`; make the state parameter internal, required, default 0. Or answer the protocol in the script (202 + Location with the state).',
  severityReason: 'Error only for a policy whose state parameter has an empty name (The Events Calendar): the state goes nowhere and the trigger never advances. The policy is optional (the documented protocol is the API or the script answering 202 + Location), so its other shapes are warnings.',
  source: SOURCES.polling,
  check(c) {
    const hits: RuleHit[] = [];
    const policies = pollingPolicies(c);
    const ids = c.operationIds();
    for (const policy of policies) {
      policy.operations.forEach((name, i) => {
        if (!ids.has(name)) {
          hits.push({ file: PROPERTIES_FILE, pointer: pointer(...policyTokens(policy.pointer), 'parameters', 'x-ms-apimTemplate-operationName', i), severity: 'warn', message: `The pollingtrigger policy names the unknown operation '${name}'.` });
        }
      });
    }
    for (const op of c.operations().filter((o) => c.triggerKind(o) === 'batch')) {
      const mine = policies.filter((p) => op.operationId !== undefined && p.operations.includes(op.operationId));
      if (mine.length === 0 && !scriptAnswers(c, op) && !apiAnswers(c, op)) {
        hits.push({ pointer: op.pointer, ...opId(op), severity: 'warn', message: `Nothing shows how the polling trigger '${op.operationId ?? op.path}' keeps its state: no pollingtrigger policy names it, the script does not handle it and no success response declares 202 or Location. Unless the API answers 202 + Location itself, it fires on old items.` });
      }
      for (const policy of mine) checkPolicy(c, op, policy, hits);
    }
    return hits;
  },
};
