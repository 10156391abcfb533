/**
 * Variables and loops, one registered action type each (the weekly report pages through a list
 * action with them): InitializeVariable, SetVariable, Until (Do until) and Foreach (Apply to each),
 * with the documented semantics. Loops run their actions afresh on every iteration, one iteration
 * at a time (Foreach's parallel iterations, serialised so that runs are reproducible).
 */
import { isObject, type JsonObject } from '../../lib/json-pointer';
import { exactIntegerDigits, ExpressionError, fitsInt64 } from '../../lib/expression';
import type { Json } from './apis';
import type { ActionType, RunContext } from './engine';

const VARIABLE_TYPES = ['boolean', 'integer', 'float', 'string', 'array', 'object'] as const;
type VariableType = (typeof VARIABLE_TYPES)[number];

/** Declared types, per run (the variables map is the run's). */
const declared = new WeakMap<Map<string, Json>, Map<string, VariableType>>();

function fits(type: VariableType, value: Json): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
  }
}

function assign(ctx: RunContext, name: string, type: VariableType, value: Json): void {
  // An integer beyond 2^53 reaches a run as its digits (the runtime keeps it whole, lib/json.ts): within
  // Int64 an integer variable keeps the digits; beyond it the platform could not hold it, so the run fails
  // here rather than go on with a rounded value (the platform's integers are 64-bit, unconfirmed for variables).
  const digits = type === 'integer' ? exactIntegerDigits(value) : undefined;
  if (digits !== undefined) {
    if (!fitsInt64(digits)) throw new ExpressionError(`variable "${name}" is of type integer (64-bit), the value ${digits} is beyond what it holds`);
    ctx.variables.set(name, digits);
    return;
  }
  // The engine converts a numeric string to a number for a number variable.
  const converted = (type === 'integer' || type === 'float') && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  if (!fits(type, converted)) throw new ExpressionError(`variable "${name}" is of type ${type}, the value ${JSON.stringify(value)} is not`);
  ctx.variables.set(name, converted);
}

const initializeVariable: ActionType = {
  validate(action, at, ctx) {
    const inputs = isObject(action.inputs) ? action.inputs : {};
    const list = Array.isArray(inputs.variables) ? inputs.variables : undefined;
    if (!list || list.length === 0) ctx.report(`${at}/inputs/variables`, 'workflow-action', 'InitializeVariable needs inputs.variables: a list of {name, type, value}');
    (list ?? []).forEach((v, i) => {
      const vAt = `${at}/inputs/variables/${i}`;
      if (!isObject(v) || typeof v.name !== 'string' || v.name === '') ctx.report(vAt, 'workflow-action', 'a variable needs a name');
      else if (typeof v.type !== 'string' || !(VARIABLE_TYPES as readonly string[]).includes(v.type.toLowerCase())) {
        ctx.report(`${vAt}/type`, 'workflow-action', `variable "${v.name}": type must be one of ${VARIABLE_TYPES.join(', ')}`);
      }
      if (isObject(v)) ctx.expressions(v.value, `${vAt}/value`);
    });
  },
  async run(action, _at, ctx) {
    const list = (action.inputs as JsonObject).variables as JsonObject[];
    let types = declared.get(ctx.variables);
    if (!types) declared.set(ctx.variables, (types = new Map()));
    for (const v of list) {
      const name = String(v.name);
      if (types.has(name)) throw new ExpressionError(`variable "${name}" is initialized twice`);
      const type = String(v.type).toLowerCase() as VariableType;
      types.set(name, type);
      assign(ctx, name, type, v.value === undefined ? null : ctx.evaluate(v.value));
    }
    return { inputs: { variables: list.map((v) => ({ name: String(v.name), type: String(v.type), value: ctx.variables.get(String(v.name)) ?? null })) } };
  },
};

const setVariable: ActionType = {
  validate(action, at, ctx) {
    const inputs = isObject(action.inputs) ? action.inputs : {};
    if (typeof inputs.name !== 'string') ctx.report(`${at}/inputs/name`, 'workflow-action', 'SetVariable needs inputs.name');
    ctx.expressions(inputs.value, `${at}/inputs/value`);
  },
  async run(action, _at, ctx) {
    const inputs = action.inputs as JsonObject;
    const name = String(inputs.name);
    const type = declared.get(ctx.variables)?.get(name);
    if (!type) throw new ExpressionError(`variable "${name}" was not initialized (InitializeVariable) before SetVariable`);
    assign(ctx, name, type, ctx.evaluate(inputs.value ?? null));
    return { inputs: { name, value: ctx.variables.get(name) ?? null }, outputs: { body: { value: ctx.variables.get(name) ?? null } } };
  },
};

/** A loop's scope failed when one of its actions failed (and no action of the scope runs after that on Failed). */
function failure(ctx: RunContext, actions: JsonObject): string | undefined {
  return ctx.scopeFailure(actions);
}

// Logic Apps' documented Until limits: 60 iterations unless set, at most 5,000; a timeout of one
// hour unless set (the platform's default for a stateful workflow, which is what flows run as).
const DEFAULT_UNTIL_COUNT = 60;
const MAX_UNTIL_COUNT = 5000;
const DEFAULT_UNTIL_TIMEOUT = 'PT1H';

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration in milliseconds (`PT1H`, `P1D`, `P1DT12H`, `PT45S`); undefined for anything else
 * (Until's and webhook actions' `limit.timeout`). Years and months are refused: their length depends on
 * the calendar, and no limit here needs them.
 */
export function durationMs(text: unknown): number | undefined {
  const m = typeof text === 'string' ? DURATION.exec(text) : null;
  if (!m || text === 'P' || (text as string).endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
}

const until: ActionType = {
  keys: ['expression', 'limit', 'actions'],
  validate(action, at, ctx) {
    if (typeof action.expression !== 'string') ctx.report(`${at}/expression`, 'workflow-action', 'Until needs an expression (a string) that ends the loop when true');
    ctx.expressions(action.expression, `${at}/expression`);
    const limit = isObject(action.limit) ? action.limit : {};
    if (limit.count !== undefined && (typeof limit.count !== 'number' || limit.count < 1 || limit.count > MAX_UNTIL_COUNT)) {
      ctx.report(`${at}/limit/count`, 'workflow-action', `limit.count must be a whole number from 1 to ${MAX_UNTIL_COUNT} (the platform refuses more)`);
    }
    if (limit.timeout !== undefined && (typeof limit.timeout !== 'string' || !durationMs(limit.timeout))) {
      ctx.report(`${at}/limit/timeout`, 'workflow-action', `limit.timeout must be an ISO 8601 duration such as PT1H or P1D (weeks, days, hours, minutes, seconds), got ${JSON.stringify(limit.timeout)}`);
    }
    ctx.actions(action.actions ?? {}, `${at}/actions`);
  },
  /**
   * The platform's documented loop (Logic Apps limits, "Until timeout"): the actions run at least
   * once and the expression is checked after each cycle; the timeout is evaluated for each cycle, so
   * a cycle that runs past it is not cut short, but no new cycle starts once it has passed. A loop
   * ended by its count or its timeout succeeds (the run carries on after it); the output says which
   * limit ended it. Time is the run's clock (`env.now`): virtual in the sandbox.
   */
  async run(action, at, ctx) {
    const actions = (isObject(action.actions) ? action.actions : {}) as JsonObject;
    const limit = isObject(action.limit) ? action.limit : {};
    const count = typeof limit.count === 'number' ? limit.count : DEFAULT_UNTIL_COUNT;
    const timeout = durationMs(typeof limit.timeout === 'string' ? limit.timeout : DEFAULT_UNTIL_TIMEOUT)!;
    const started = ctx.env.now();
    let iterations = 0;
    let done = false;
    let timedOut = false;
    while (!done && iterations < count) {
      if (iterations > 0 && ctx.env.now() - started >= timeout) {
        timedOut = true;
        break;
      }
      ctx.forget(actions);
      await ctx.runActions(actions, `${at}/actions`);
      iterations++;
      const failed = failure(ctx, actions);
      if (failed) throw new Error(`iteration ${iterations}: ${failed}`);
      done = Boolean(ctx.evaluate(action.expression));
    }
    return { inputs: null, outputs: { iterations, ended: done ? 'expression' : timedOut ? 'timeout' : 'count limit' } };
  },
};

const foreach: ActionType = {
  keys: ['foreach', 'actions'],
  validate(action, at, ctx) {
    if (action.foreach === undefined) ctx.report(`${at}/foreach`, 'workflow-action', 'Foreach needs foreach: an expression giving the array to loop over');
    ctx.expressions(action.foreach, `${at}/foreach`);
    ctx.actions(action.actions ?? {}, `${at}/actions`);
  },
  async run(action, at, ctx) {
    const name = at.slice(at.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
    const list = ctx.evaluate(action.foreach);
    if (!Array.isArray(list)) throw new ExpressionError(`Foreach "${name}": foreach gave ${JSON.stringify(list)?.slice(0, 80)}, not an array`);
    const actions = (isObject(action.actions) ? action.actions : {}) as JsonObject;
    const failures: string[] = [];
    for (const item of list) {
      ctx.forget(actions);
      ctx.items.set(name, item);
      await ctx.withItem(item, () => ctx.runActions(actions, `${at}/actions`));
      const failed = failure(ctx, actions);
      if (failed) failures.push(failed);
    }
    ctx.items.delete(name);
    if (failures.length > 0) throw new Error(`${failures.length} of ${list.length} iterations failed; the first: ${failures[0]}`);
    return { inputs: { count: list.length }, outputs: { iterations: list.length } };
  },
};

export const LOOP_ACTION_TYPES: Record<string, ActionType> = {
  InitializeVariable: initializeVariable,
  SetVariable: setVariable,
  Until: until,
  Foreach: foreach,
};
