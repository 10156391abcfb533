/**
 * The designer's data operations, one registered action type each: Select (map each item of an array to a
 * new shape) and Query ("Filter array": keep the items for which `where` is true). Inside them `item()`
 * is the current item. Documented semantics: `from` must be an array; Select's `select` is an object (or
 * any value) evaluated per item; Query's `where` is an expression evaluated per item.
 */
import { isObject, type JsonObject } from '../../lib/json-pointer';
import { ExpressionError } from '../../lib/expression';
import type { Json } from './apis';
import type { ActionType, RunContext } from './engine';

function fromArray(action: JsonObject, ctx: RunContext, type: string): Json[] {
  const from = ctx.evaluate((action.inputs as JsonObject).from);
  if (!Array.isArray(from)) throw new ExpressionError(`${type}: from gave ${JSON.stringify(from)?.slice(0, 80)}, not an array`);
  return from;
}

const select: ActionType = {
  validate(action, at, ctx) {
    const inputs = isObject(action.inputs) ? action.inputs : {};
    if (inputs.from === undefined) ctx.report(`${at}/inputs/from`, 'workflow-action', 'Select needs inputs.from: an expression giving the array to map');
    if (inputs.select === undefined) ctx.report(`${at}/inputs/select`, 'workflow-action', 'Select needs inputs.select: the shape of each new item');
    for (const key of Object.keys(inputs)) if (key !== 'from' && key !== 'select') ctx.report(`${at}/inputs/${key}`, 'workflow-setting', `Select has no input "${key}" (it takes from and select)`);
    ctx.expressions(inputs.from, `${at}/inputs/from`);
    ctx.expressions(inputs.select, `${at}/inputs/select`);
  },
  async run(action, _at, ctx) {
    const out: Json[] = [];
    for (const item of fromArray(action, ctx, 'Select')) out.push(await ctx.withItem(item, async () => ctx.evaluate((action.inputs as JsonObject).select)));
    return { inputs: null, outputs: { body: out } };
  },
};

const query: ActionType = {
  validate(action, at, ctx) {
    const inputs = isObject(action.inputs) ? action.inputs : {};
    if (inputs.from === undefined) ctx.report(`${at}/inputs/from`, 'workflow-action', 'Query needs inputs.from: an expression giving the array to filter');
    if (typeof inputs.where !== 'string') ctx.report(`${at}/inputs/where`, 'workflow-action', 'Query needs inputs.where: an expression, true for the items to keep');
    for (const key of Object.keys(inputs)) if (key !== 'from' && key !== 'where') ctx.report(`${at}/inputs/${key}`, 'workflow-setting', `Query has no input "${key}" (it takes from and where)`);
    ctx.expressions(inputs.from, `${at}/inputs/from`);
    ctx.expressions(inputs.where, `${at}/inputs/where`);
  },
  async run(action, _at, ctx) {
    const out: Json[] = [];
    for (const item of fromArray(action, ctx, 'Query')) if (await ctx.withItem(item, async () => Boolean(ctx.evaluate((action.inputs as JsonObject).where)))) out.push(item);
    return { inputs: null, outputs: { body: out } };
  },
};

export const DATA_ACTION_TYPES: Record<string, ActionType> = {
  Select: select,
  Query: query,
};
