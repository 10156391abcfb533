/**
 * The trigger types the runtime runs, one registered unit each. A trigger of this connector
 * becomes what the sandbox's flow runtime subscribes to or polls (its subscribe / keep-the-Location /
 * unsubscribe and polling primitives are reused, not re-implemented): the operationId, the inputs
 * by parameter name, the polling interval. Adding a type (Recurrence...) is adding an entry.
 */
import { isObject, type JsonObject } from '../../lib/json-pointer';
import type { Json } from './apis';
import { unflatten } from './actions';
import { evaluateDeep, type ValidateContext } from './engine';
import type { ThisConnectorApi } from './this-connector';

export interface RuntimeTrigger {
  operationId: string;
  inputs: Record<string, unknown>;
  recurrenceMs?: number;
}

/** Keys every trigger may have; a type reads the others it names, anything else is refused. */
const COMMON_KEYS = ['type', 'inputs', 'metadata', 'description'];

export function checkKeys(trigger: JsonObject, at: string, ctx: ValidateContext, extra: readonly string[]): void {
  for (const key of Object.keys(trigger)) {
    if (!COMMON_KEYS.includes(key) && !extra.includes(key)) ctx.report(`${at}/${key}`, 'workflow-setting', `"${key}" is not implemented by the sandbox runtime for ${String(trigger.type)} triggers`);
  }
}

/**
 * Polling runs are split on the policy's array, one run per item: the sandbox runs only that form,
 * so a polling trigger must say `splitOn` (the designer sets it for a new trigger).
 */
function checkSplitOn(trigger: JsonObject, at: string, ctx: ValidateContext): void {
  if (typeof trigger.splitOn !== 'string') ctx.report(`${at}/splitOn`, 'workflow-trigger', 'a polling trigger without splitOn (one run for the whole batch) is not supported by the sandbox runtime: add "splitOn": "@triggerBody()?[\'data\']"');
  else ctx.expressions(trigger.splitOn, `${at}/splitOn`);
}

export interface TriggerType {
  /** Reports problems; returns what the flow runtime runs when there are none. */
  prepare(trigger: JsonObject, at: string, ctx: ValidateContext, thisApi: ThisConnectorApi): RuntimeTrigger | undefined;
}

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

function recurrenceMs(trigger: JsonObject, at: string, ctx: ValidateContext): number | undefined {
  const r = trigger.recurrence;
  if (r === undefined) return undefined;
  const unit = isObject(r) && typeof r.frequency === 'string' ? UNIT_MS[r.frequency.toLowerCase()] : undefined;
  const interval = isObject(r) && typeof r.interval === 'number' ? r.interval : 1;
  if (!unit) {
    ctx.report(`${at}/recurrence`, 'workflow-trigger', 'recurrence needs a frequency of Second, Minute, Hour, Day or Week');
    return undefined;
  }
  return unit * interval;
}

/** The trigger's operation must be this connector's trigger of the right kind. */
function checkOperation(operationId: string, kind: 'single' | 'batch', at: string, ctx: ValidateContext, thisApi: ThisConnectorApi): boolean {
  const actual = thisApi.trigger(operationId);
  if (actual === kind) return true;
  const what = kind === 'single' ? 'a webhook trigger (x-ms-trigger: single)' : 'a polling trigger (x-ms-trigger: batch)';
  ctx.report(at, 'workflow-operation', thisApi.operationIds().includes(operationId) ? `"${operationId}" is not ${what} of ${thisApi.title}` : `${thisApi.title} has no operation "${operationId}"`);
  return false;
}

function thisConnectorOnly(api: unknown, thisApi: ThisConnectorApi, at: string, ctx: ValidateContext): boolean {
  if (api === undefined) return false;
  if (api === thisApi) return true;
  ctx.report(at, 'workflow-trigger', `the sandbox runs triggers of ${thisApi.name} only; ${(api as { title: string }).title} has no trigger here`);
  return false;
}

/** Power Automate style: `host.operationId` + flattened `parameters`. */
function openApiStyle(kind: 'single' | 'batch'): TriggerType {
  return {
    prepare(trigger, at, ctx, thisApi) {
      const inputs = isObject(trigger.inputs) ? trigger.inputs : {};
      checkKeys(trigger, at, ctx, kind === 'batch' ? ['recurrence', 'splitOn'] : []);
      if (kind === 'batch') checkSplitOn(trigger, at, ctx);
      ctx.expressions(inputs.parameters, `${at}/inputs/parameters`);
      ctx.expressions(inputs.authentication, `${at}/inputs/authentication`);
      if (!thisConnectorOnly(ctx.apiOf(inputs.host, `${at}/inputs/host`), thisApi, `${at}/inputs/host`, ctx)) return undefined;
      const operationId = isObject(inputs.host) && typeof inputs.host.operationId === 'string' ? inputs.host.operationId : '';
      if (!checkOperation(operationId, kind, `${at}/inputs/host/operationId`, ctx, thisApi)) return undefined;
      const parameters = ctx.staticValue(inputs.parameters ?? {});
      if (!isObject(parameters)) {
        ctx.report(`${at}/inputs/parameters`, 'workflow-trigger', 'trigger parameters must be values known before any run');
        return undefined;
      }
      const call = unflatten(thisApi, operationId, parameters as { [k: string]: Json });
      const inputsByName: Record<string, unknown> = { ...call.params, ...(call.body !== undefined ? { body: call.body } : {}) };
      return { operationId, inputs: inputsByName, recurrenceMs: kind === 'batch' ? recurrenceMs(trigger, at, ctx) : undefined };
    },
  };
}

const CALLBACK_MARK = 'urn:sandbox:list-callback-url';

/** Logic Apps style: `host.connection.referenceName` + method + path (+ queries, body). */
function apiStyle(kind: 'single' | 'batch'): TriggerType {
  return {
    prepare(trigger, at, ctx, thisApi) {
      const inputs = isObject(trigger.inputs) ? trigger.inputs : {};
      checkKeys(trigger, at, ctx, kind === 'batch' ? ['recurrence', 'splitOn'] : []);
      if (kind === 'batch') checkSplitOn(trigger, at, ctx);
      for (const key of ['path', 'queries', 'body']) ctx.expressions(inputs[key], `${at}/inputs/${key}`);
      if (!thisConnectorOnly(ctx.apiOf(inputs.host, `${at}/inputs/host`), thisApi, `${at}/inputs/host`, ctx)) return undefined;
      const method = typeof inputs.method === 'string' ? inputs.method : kind === 'single' ? 'post' : 'get';
      const path = ctx.staticValue(inputs.path);
      const route = typeof path === 'string' ? thisApi.route(method, path) : undefined;
      if (!route) {
        ctx.report(`${at}/inputs/path`, 'workflow-operation', `${thisApi.title} has no operation at ${method.toUpperCase()} ${JSON.stringify(path ?? null)}`);
        return undefined;
      }
      if (!checkOperation(route.operationId, kind, `${at}/inputs/path`, ctx, thisApi)) return undefined;
      const queries = ctx.staticValue(inputs.queries ?? {});
      const result: RuntimeTrigger = { operationId: route.operationId, inputs: { ...route.params, ...(isObject(queries) ? queries : {}) } };
      if (kind === 'batch') return { ...result, recurrenceMs: recurrenceMs(trigger, at, ctx) };
      // The subscription body must hand the PBX this flow's callback URL, in the property the definition marks.
      let body: Json;
      try {
        body = evaluateDeep(inputs.body ?? {}, { functions: { listCallbackUrl: { arity: [0, 0], run: () => CALLBACK_MARK } } });
      } catch (e) {
        ctx.report(`${at}/inputs/body`, 'workflow-trigger', `the subscription body must be known before any run: ${(e as Error).message}`);
        return undefined;
      }
      const where = thisApi.notificationPath(route.operationId) ?? [];
      let node: unknown = body;
      for (const part of where) node = isObject(node) ? node[part] : undefined;
      if (node !== CALLBACK_MARK) {
        ctx.report(`${at}/inputs/body`, 'workflow-trigger', `the body must put @{listCallbackUrl()} into "${where.join('.')}" (the property marked x-ms-notification-url), or the PBX posts events elsewhere`);
        return undefined;
      }
      return { ...result, inputs: { ...result.inputs, body } }; // the flow runtime puts its own callback URL there
    },
  };
}

export const TRIGGER_TYPES: Record<string, TriggerType> = {
  OpenApiConnectionWebhook: openApiStyle('single'),
  OpenApiConnection: openApiStyle('batch'),
  ApiConnectionWebhook: apiStyle('single'),
  ApiConnection: apiStyle('batch'),
};
