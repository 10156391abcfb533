/**
 * The action types the runtime executes, one registered unit each: a type validates its part of
 * the definition before the flow starts and runs it in a run. Adding a type (Foreach, Until,
 * InitializeVariable...) is adding an entry to ACTION_TYPES.
 */
import { pointer, isObject, type JsonObject } from '../../lib/json-pointer';
import { ExpressionError, FUNCTIONS } from '../../lib/expression';
import { ActionFailure, type ApiCall, type ApiResult, type ConnectorApi, type Json } from './apis';
import { ActionTimedOut, type ActionType, type RunContext, type ValidateContext } from './engine';
import { DATA_ACTION_TYPES } from './data-operations';
import { durationMs, LOOP_ACTION_TYPES } from './loops';

/** Power Automate's flattened parameters (`item/Call ID`, `body/recipient/groupId`) → an ApiCall. */
export function unflatten(api: ConnectorApi, operationId: string, parameters: { [k: string]: Json }): ApiCall {
  const bodyName = api.bodyParameter(operationId);
  const call: ApiCall = { operationId, params: {} };
  for (const [key, value] of Object.entries(parameters)) {
    const [head, ...rest] = key.split('/');
    if (bodyName !== undefined && head === bodyName) {
      if (rest.length === 0) {
        call.body = value;
        continue;
      }
      if (!isObject(call.body)) call.body = {};
      let node = call.body as { [k: string]: Json };
      for (const part of rest.slice(0, -1)) {
        if (!isObject(node[part])) node[part] = {};
        node = node[part] as { [k: string]: Json };
      }
      node[rest[rest.length - 1]] = value;
    } else call.params[key] = value;
  }
  return call;
}

/** Pages a designer Pagination setting reads at most, so that a link that never ends fails the action instead of the run hanging. */
const MAX_PAGINATION_PAGES = 1000;

/**
 * The action's Pagination setting (`runtimeConfiguration.paginationPolicy.minimumItemCount`), as the platform offers it:
 * only on an operation that declares `x-ms-pageable`, and only that setting of `runtimeConfiguration` is run here.
 */
function paginationOf(action: JsonObject): number | undefined {
  const config = action.runtimeConfiguration;
  const policy = isObject(config) && isObject(config.paginationPolicy) ? config.paginationPolicy : undefined;
  return policy && typeof policy.minimumItemCount === 'number' ? policy.minimumItemCount : undefined;
}

function validatePagination(action: JsonObject, at: string, ctx: ValidateContext, api: ConnectorApi | undefined, operationId: string): void {
  const config = action.runtimeConfiguration;
  if (config === undefined) return;
  const where = `${at}/runtimeConfiguration`;
  if (!isObject(config)) return ctx.report(where, 'workflow-setting', 'runtimeConfiguration must be an object');
  for (const key of Object.keys(config)) {
    if (key !== 'paginationPolicy') ctx.report(`${where}${pointer(key)}`, 'workflow-setting', `runtimeConfiguration "${key}" is not implemented by the sandbox runtime (it runs paginationPolicy)`);
  }
  if (config.paginationPolicy === undefined) return;
  const count = paginationOf(action);
  if (count === undefined || !Number.isInteger(count) || count < 1) {
    ctx.report(`${where}/paginationPolicy/minimumItemCount`, 'workflow-setting', 'paginationPolicy needs minimumItemCount, a whole number of at least 1 (the Pagination threshold)');
  }
  if (api && !api.pagination?.(operationId)) {
    ctx.report(`${where}/paginationPolicy`, 'workflow-setting', `${operationId} of ${api.title} does not declare x-ms-pageable, so the designer offers no Pagination on it`);
  }
}

/**
 * Pagination as Microsoft documents it for connector actions: the next links are followed until at least
 * `minimumItemCount` items were received or no link is left, whole pages at a time (so more than the threshold may
 * come back), and the pages' item arrays (`itemName`, autorest's default `value`) are merged into one. The other
 * properties are the last page's (its next link, where the reading stopped).
 */
async function paginate(api: ConnectorApi, operationId: string, first: ApiResult, minimum: number, ctx: RunContext): Promise<ApiResult> {
  const paging = api.pagination!(operationId)!;
  const items = (body: Json): Json[] => (isObject(body) && Array.isArray(body[paging.itemName]) ? (body[paging.itemName] as Json[]) : []);
  const merged = [...items(first.body)];
  let last = first;
  for (let pages = 1; merged.length < minimum; pages++) {
    const link = isObject(last.body) ? last.body[paging.nextLinkName] : undefined;
    if (typeof link !== 'string' || link === '') break;
    if (pages >= MAX_PAGINATION_PAGES) throw new ActionFailure(502, `Pagination read ${pages} pages of ${operationId} and the next link still did not end`);
    last = await api.follow!(link, ctx.env);
    merged.push(...items(last.body));
  }
  return { ...last, body: { ...(isObject(last.body) ? last.body : {}), [paging.itemName]: merged } };
}

const openApiConnection: ActionType = {
  keys: ['runtimeConfiguration'],
  validate(action, at, ctx) {
    const inputs = isObject(action.inputs) ? action.inputs : {};
    const api = ctx.apiOf(inputs.host, `${at}/inputs/host`);
    const host = isObject(inputs.host) ? inputs.host : {};
    const operationId = typeof host.operationId === 'string' ? host.operationId : '';
    if (api && !api.operationIds().includes(operationId)) {
      ctx.report(`${at}/inputs/host/operationId`, 'workflow-operation', `${api.title} has no operation "${operationId}" (it has ${api.operationIds().join(', ')})`);
    } else if (api) {
      const bodyName = api.bodyParameter(operationId);
      const names = api.parameterNames(operationId);
      for (const key of Object.keys(isObject(inputs.parameters) ? inputs.parameters : {})) {
        const head = key.split('/')[0];
        if (head !== bodyName && !names.includes(key)) {
          ctx.report(`${at}/inputs/parameters${pointer(key)}`, 'workflow-parameter', `${operationId} of ${api.title} has no parameter "${key}" (it takes ${[...names, ...(bodyName ? [`${bodyName}/…`] : [])].join(', ')})`);
        }
      }
    }
    ctx.expressions(inputs.parameters, `${at}/inputs/parameters`);
    ctx.expressions(inputs.authentication, `${at}/inputs/authentication`);
    // The runtime never retries an action: a policy of "none" (what README asks of Dial) says just that; others it cannot honour.
    const retry = inputs.retryPolicy;
    if (retry !== undefined && !(isObject(retry) && typeof retry.type === 'string' && retry.type.toLowerCase() === 'none')) {
      ctx.report(`${at}/inputs/retryPolicy`, 'workflow-setting', 'the sandbox runtime never retries an action: it runs retryPolicy {"type": "none"} only');
    }
    validatePagination(action, at, ctx, api, operationId);
  },
  async run(action, _at, ctx) {
    const inputs = action.inputs as JsonObject;
    const api = ctx.api(inputs.host);
    const operationId = String((inputs.host as JsonObject).operationId);
    const parameters = ctx.evaluate(inputs.parameters ?? {}) as { [k: string]: Json };
    const first = await api.invoke(unflatten(api, operationId, parameters), ctx.env);
    const minimum = paginationOf(action);
    const result = minimum === undefined ? first : await paginate(api, operationId, first, minimum, ctx);
    return { inputs: { host: { operationId }, parameters }, outputs: { statusCode: result.statusCode, headers: result.headers, body: result.body } };
  },
};

/**
 * A webhook action (Teams' "Post adaptive card and wait for a response"): the operation is called with a
 * callback URL of the run (the platform fills in the operation's notification URL), then the run waits,
 * without holding the host, until the service POSTs its answer there; that body is the action's output.
 * `limit.timeout` (ISO 8601, e.g. PT8H) ends the wait as TimedOut in sandbox time; without it the action
 * waits until the flow is stopped (then Cancelled).
 */
const openApiConnectionWebhook: ActionType = {
  keys: ['limit'],
  validate(action, at, ctx) {
    openApiConnection.validate(action, at, ctx);
    const inputs = isObject(action.inputs) ? action.inputs : {};
    const api = ctx.apiOf(inputs.host, `${at}/inputs/host`);
    const operationId = isObject(inputs.host) && typeof inputs.host.operationId === 'string' ? inputs.host.operationId : '';
    if (api && api.operationIds().includes(operationId) && !(api.webhookOperationIds?.() ?? []).includes(operationId)) {
      ctx.report(`${at}/type`, 'workflow-action-type', `${operationId} of ${api.title} answers at once: call it with an OpenApiConnection action (OpenApiConnectionWebhook is for operations that answer through a callback)`);
    }
    const limit = isObject(action.limit) ? action.limit : {};
    for (const key of Object.keys(limit)) if (key !== 'timeout') ctx.report(`${at}/limit/${key}`, 'workflow-setting', `limit.${key} is not implemented by the sandbox runtime for webhook actions (it runs limit.timeout)`);
    if (limit.timeout !== undefined && durationMs(limit.timeout) === undefined) ctx.report(`${at}/limit/timeout`, 'workflow-setting', `limit.timeout must be an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. PT8H), got ${JSON.stringify(limit.timeout)}`);
  },
  async run(action, at, ctx) {
    const inputs = action.inputs as JsonObject;
    const api = ctx.api(inputs.host);
    const operationId = String((inputs.host as JsonObject).operationId);
    const parameters = ctx.evaluate(inputs.parameters ?? {}) as { [k: string]: Json };
    const name = at.slice(at.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!ctx.env.callback || !ctx.env.after) throw new Error('this runtime has no callbacks for webhook actions (the host gives them)');
    const callback = ctx.env.callback(name);
    const subscribed = await api.invoke({ ...unflatten(api, operationId, parameters), callbackUrl: callback.url }, ctx.env);
    const timeoutMs = isObject(action.limit) ? durationMs(action.limit.timeout) : undefined;
    const timer = timeoutMs === undefined ? undefined : ctx.env.after(timeoutMs, () => callback.fail(new ActionTimedOut(`no answer within ${String((action.limit as JsonObject).timeout)} (limit.timeout)`)));
    try {
      const answer = await ctx.suspend(callback.response);
      return { inputs: { host: { operationId }, parameters }, outputs: { statusCode: 200, headers: answer.headers, body: answer.body, subscription: subscribed.body } };
    } finally {
      timer?.cancel();
    }
  },
};

const apiConnection: ActionType = {
  validate(action, at, ctx) {
    const inputs = isObject(action.inputs) ? action.inputs : {};
    const api = ctx.apiOf(inputs.host, `${at}/inputs/host`);
    if (typeof inputs.method !== 'string') ctx.report(`${at}/inputs/method`, 'workflow-operation', 'an ApiConnection action needs a method');
    if (typeof inputs.path !== 'string') ctx.report(`${at}/inputs/path`, 'workflow-operation', 'an ApiConnection action needs a path');
    for (const key of ['path', 'queries', 'body', 'headers']) ctx.expressions(inputs[key], `${at}/inputs/${key}`);
    // A path built from literals only is routed now; one that reads the run is routed when it runs.
    const path = ctx.staticValue(inputs.path);
    if (api && typeof path === 'string' && typeof inputs.method === 'string' && !api.route(inputs.method, path)) {
      ctx.report(`${at}/inputs/path`, 'workflow-operation', `${api.title} has no operation at ${inputs.method.toUpperCase()} ${path}`);
    }
  },
  async run(action, _at, ctx) {
    const inputs = action.inputs as JsonObject;
    const api = ctx.api(inputs.host);
    const method = String(inputs.method);
    const path = ctx.evaluate(inputs.path);
    const route = typeof path === 'string' ? api.route(method, path) : undefined;
    if (!route) throw new ActionFailure(404, `${api.title} has no operation at ${method.toUpperCase()} ${String(path)}`);
    const queries = ctx.evaluate(inputs.queries ?? {}) as { [k: string]: Json };
    const body = inputs.body === undefined ? undefined : ctx.evaluate(inputs.body);
    const result = await api.invoke({ operationId: route.operationId, params: { ...route.params, ...queries }, body }, ctx.env);
    return { inputs: { method, path, queries, body: body ?? null }, outputs: { statusCode: result.statusCode, headers: result.headers, body: result.body } };
  },
};

const compose: ActionType = {
  validate(action, at, ctx) {
    ctx.expressions(action.inputs, `${at}/inputs`);
  },
  async run(action, _at, ctx) {
    const value = ctx.evaluate(action.inputs ?? null);
    return { inputs: value, outputs: value };
  },
};

/** The designer's condition form `{"and": [{"equals": [a, b]}]}`: operators are the language's functions. */
function condition(value: unknown, ctx: RunContext): Json {
  if (isObject(value)) {
    const [op, args] = Object.entries(value)[0] ?? [];
    const fn = op !== undefined ? FUNCTIONS[op] : undefined;
    if (!fn || !Array.isArray(args) || Object.keys(value).length !== 1) throw new ExpressionError(`condition ${JSON.stringify(value).slice(0, 80)} is not {"<function>": [arguments]}`);
    return fn.run(args.map((a) => condition(a, ctx)), {}) ?? null;
  }
  return ctx.evaluate(value);
}

const ifAction: ActionType = {
  keys: ['expression', 'actions', 'else'],
  validate(action, at, ctx) {
    ctx.expressions(action.expression, `${at}/expression`);
    const check = (value: unknown, vAt: string): void => {
      if (!isObject(value)) return;
      for (const [op, args] of Object.entries(value)) {
        if (!FUNCTIONS[op]) ctx.report(`${vAt}${pointer(op)}`, 'workflow-function', `the condition operator "${op}" is not supported by the sandbox runtime`);
        if (Array.isArray(args)) args.forEach((a, i) => check(a, `${vAt}${pointer(op, i)}`));
      }
    };
    check(action.expression, `${at}/expression`);
    ctx.actions(action.actions ?? {}, `${at}/actions`);
    if (action.else !== undefined) ctx.actions(isObject(action.else) ? (action.else.actions ?? {}) : null, `${at}/else/actions`);
  },
  async run(action, at, ctx) {
    const result = Boolean(condition(action.expression, ctx));
    const branch = result ? action.actions : isObject(action.else) ? action.else.actions : undefined;
    if (isObject(branch)) await ctx.runActions(branch, result ? `${at}/actions` : `${at}/else/actions`);
    return { inputs: null, outputs: { expression: result } };
  },
};

export const ACTION_TYPES: Record<string, ActionType> = {
  OpenApiConnection: openApiConnection,
  OpenApiConnectionWebhook: openApiConnectionWebhook,
  ApiConnection: apiConnection,
  Compose: compose,
  If: ifAction,
  ...DATA_ACTION_TYPES,
  ...LOOP_ACTION_TYPES,
};

export { ActionTimedOut };

export type { ValidateContext };
