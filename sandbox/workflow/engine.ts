/**
 * The workflow engine: checks a loaded definition before anything runs, then executes one run per
 * trigger output. Action types, trigger types and the run's expression functions are registered
 * units (actions.ts, triggers.ts, RUN_FUNCTIONS below); anything not registered — an action type, a
 * function, a connector, an operation — is refused up front with the flow file, the JSON pointer and
 * the name, never skipped.
 *
 * Run semantics (Workflow Definition Language): actions start when every action named in their
 * `runAfter` has finished with one of the listed statuses (`{}`: at the start), otherwise they are
 * Skipped; actions run one at a time in declaration order among those ready (the engine's parallel
 * branches, serialised so that runs are reproducible). A run fails when an action failed (or timed
 * out) and no action runs after it on that status. An action that waits for a callback (a webhook
 * action) suspends the run through its hooks, so the host can start the next run meanwhile; when the
 * flow is stopped a waiting action is cancelled and so is its run.
 */
import { pointer, isObject, type JsonObject } from '../../lib/json-pointer';
import type { Finding } from '../../lib/finding';
import {
  formatTimestamp,
  evaluateTemplate,
  ExpressionError,
  FUNCTIONS,
  functionsCalled,
  parseTemplate,
  type ExpressionFunction,
  type Scope,
  type Value,
} from '../../lib/expression';
import type { ConnectorApi, Json, RunEnv } from './apis';
import { problem, WorkflowError, type LoadedWorkflow } from './load';

export type ActionStatus = 'Succeeded' | 'Failed' | 'Skipped' | 'TimedOut' | 'Cancelled';

/** Thrown by an action that waited past its timeout (`limit.timeout`): its status is TimedOut. */
export class ActionTimedOut extends Error {
  override name = 'ActionTimedOut';
}

/** Thrown by an action still waiting when the flow is stopped: its status, and its run's, is Cancelled. */
export class ActionCancelled extends Error {
  override name = 'ActionCancelled';
}

/** What a host lends a run: a way to wait without holding the host's serialisation of runs. */
export interface RunHooks {
  suspend<T>(wait: Promise<T>): Promise<T>;
}

export interface ActionRecord {
  name: string;
  type: string;
  status: ActionStatus;
  inputs?: Json;
  outputs?: Json;
  error?: string;
}

export interface WorkflowRun {
  id: number;
  /** When the run started (the sandbox's virtual clock, ms since the epoch). */
  startedAt: number;
  status: 'Succeeded' | 'Failed' | 'Cancelled';
  trigger: { name: string; outputs: { headers: Record<string, string>; body: Json } };
  actions: ActionRecord[];
  /** The first failure, `<action>: <message>`. */
  error?: string;
}

export interface ValidateContext {
  workflow: LoadedWorkflow;
  report(at: string, rule: string, message: string): void;
  /** Parses every expression in `value` and reports unknown functions (`extra`: functions allowed here only). */
  expressions(value: unknown, at: string, extra?: readonly string[]): void;
  /** The API a `host` names, in either style; reported and undefined when there is none. */
  apiOf(host: unknown, at: string): ConnectorApi | undefined;
  /** Validates a nested action map (for container actions). */
  actions(actions: unknown, at: string): void;
  /** Evaluates a value that needs no run (literals and pure functions); undefined when it does. */
  staticValue(value: unknown): Json | undefined;
}

export interface RunContext {
  workflow: LoadedWorkflow;
  env: RunEnv;
  evaluate(value: unknown): Json;
  api(host: unknown): ConnectorApi;
  runActions(actions: JsonObject, at: string): Promise<void>;
  /** The run's variables (InitializeVariable, SetVariable; read by `variables()`). */
  variables: Map<string, Json>;
  /** The current item of each running Foreach, by its name (read by `items()`). */
  items: Map<string, Json>;
  /** Forgets the records of these actions (and those nested in them): a loop's next iteration runs them afresh. */
  forget(actions: JsonObject): void;
  /** `<action>: <error>` of the first action of this scope that failed unhandled, if any. */
  scopeFailure(actions: JsonObject): string | undefined;
  /** Waits (a webhook action's callback) without holding the host's serialisation of runs. */
  suspend<T>(wait: Promise<T>): Promise<T>;
  /** The current item of Select, Query or Foreach, read by `item()`, for the duration of `run`. */
  withItem<T>(item: Json, run: () => Promise<T>): Promise<T>;
}

export interface ActionType {
  /** Keys this type reads beyond the common ones (type, inputs, runAfter, metadata, description). */
  keys?: readonly string[];
  validate(action: JsonObject, at: string, ctx: ValidateContext): void;
  /** Returns the action's inputs and outputs; throws to fail it. */
  run(action: JsonObject, at: string, ctx: RunContext): Promise<{ inputs?: Json; outputs?: Json }>;
}

export interface RunState {
  /** Virtual time of the run (for utcNow() and the like). */
  now(): number;
  trigger: WorkflowRun['trigger'];
  records: Map<string, ActionRecord>;
  definition: JsonObject;
  callbackUrl?: string;
  variables?: Map<string, Json>;
  items?: Map<string, Json>;
  /** The items `item()` reads: the innermost Select, Query or Foreach's current one last. */
  itemStack?: Json[];
}

type RunFunction = (state: RunState) => ExpressionFunction;
const f = (min: number, max: number, run: ExpressionFunction['run']): ExpressionFunction => ({ arity: [min, max], run });

function record(state: RunState, name: Value): ActionRecord {
  const r = typeof name === 'string' ? state.records.get(name) : undefined;
  if (!r) throw new ExpressionError(`no action ${JSON.stringify(name)} has run before this one`);
  return r;
}

/** Functions that read the run (registered by name; issue-specific ones are added here). */
export const RUN_FUNCTIONS: Record<string, RunFunction> = {
  trigger: (s) => f(0, 0, () => ({ name: s.trigger.name, outputs: s.trigger.outputs })),
  triggerOutputs: (s) => f(0, 0, () => s.trigger.outputs),
  triggerBody: (s) => f(0, 0, () => s.trigger.outputs.body),
  outputs: (s) => f(1, 1, ([n]) => record(s, n).outputs ?? null),
  body: (s) => f(1, 1, ([n]) => {
    const out = record(s, n).outputs;
    return isObject(out) && 'body' in out ? (out.body as Json) : null;
  }),
  actions: (s) => f(1, 1, ([n]) => {
    const r = record(s, n);
    return { name: r.name, status: r.status, inputs: r.inputs ?? null, outputs: r.outputs ?? null };
  }),
  parameters: (s) => f(1, 1, ([n]) => {
    const params = isObject(s.definition.parameters) ? s.definition.parameters : {};
    const p = typeof n === 'string' ? params[n] : undefined;
    if (!isObject(p)) throw new ExpressionError(`the workflow declares no parameter ${JSON.stringify(n)}`);
    return (p.value ?? p.defaultValue ?? null) as Json;
  }),
  workflow: () => f(0, 0, () => ({ name: 'sandbox' })),
  variables: (s) => f(1, 1, ([n]) => {
    if (typeof n !== 'string' || !s.variables?.has(n)) throw new ExpressionError(`no variable ${JSON.stringify(n)} was initialized (InitializeVariable) before this action`);
    return s.variables.get(n)!;
  }),
  item: (s) => f(0, 0, () => {
    const stack = s.itemStack ?? [];
    if (stack.length === 0) throw new ExpressionError('item() is only known inside Select, Query (Filter array) or Foreach');
    return stack[stack.length - 1];
  }),
  items: (s) => f(1, 1, ([n]) => {
    if (typeof n !== 'string' || !s.items?.has(n)) throw new ExpressionError(`items(${JSON.stringify(n)}) is only known inside the Foreach of that name`);
    return s.items.get(n)!;
  }),
  utcNow: (s) => f(0, 1, ([format]) => formatTimestamp(s.now(), format, 'utcNow')),
  listCallbackUrl: (s) => f(0, 0, () => {
    if (s.callbackUrl === undefined) throw new ExpressionError('listCallbackUrl() is only known in a webhook trigger');
    return s.callbackUrl;
  }),
};

export function scopeOf(state: RunState): Scope {
  const functions: Record<string, ExpressionFunction> = {};
  for (const [name, make] of Object.entries(RUN_FUNCTIONS)) functions[name] = make(state);
  return { functions };
}

/** Evaluates every string of a value (objects and arrays walked; keys are not expressions). */
export function evaluateDeep(value: unknown, scope: Scope): Json {
  if (typeof value === 'string') return (evaluateTemplate(parseTemplate(value), scope) ?? null) as Json;
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, scope));
  if (isObject(value)) {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluateDeep(v, scope);
    return out;
  }
  return (value ?? null) as Json;
}

const STATUSES: readonly string[] = ['Succeeded', 'Failed', 'Skipped', 'TimedOut'];
/** Keys every action may have; anything else must be read by its type (or it is refused, not ignored). */
export const COMMON_KEYS: readonly string[] = ['type', 'inputs', 'runAfter', 'metadata', 'description'];

export class WorkflowEngine {
  readonly runs: WorkflowRun[] = [];
  /** The APIs the trigger and actions name (filled by validate). */
  readonly usedApis = new Set<ConnectorApi>();
  /** Action names seen by validate: unique across the workflow, nested ones included (body('X') reads by name). */
  private readonly seenNames = new Set<string>();
  private nextId = 1;

  constructor(
    readonly workflow: LoadedWorkflow,
    private readonly actionTypes: Record<string, ActionType>,
    private readonly apis: Map<string, ConnectorApi>,
    private readonly env: RunEnv,
  ) {}

  /** The one trigger: its name, definition and pointer. */
  get trigger(): { name: string; trigger: JsonObject; at: string } {
    const triggers = isObject(this.workflow.definition.triggers) ? this.workflow.definition.triggers : {};
    const [name, trigger] = Object.entries(triggers)[0] ?? [];
    if (typeof name !== 'string' || !isObject(trigger)) throw new WorkflowError([problem(this.workflow.file, `${this.workflow.at}/triggers`, 'workflow-trigger', 'the workflow has no trigger')]);
    return { name, trigger, at: `${this.workflow.at}${pointer('triggers', name)}` };
  }

  /** Every problem of the definition (empty: it can run). `triggerCheck` validates the trigger. */
  validate(triggerCheck: (ctx: ValidateContext) => void): Finding[] {
    const wf = this.workflow;
    const problems: Finding[] = [];
    const report = (at: string, rule: string, message: string) => problems.push(problem(wf.file, at, rule, message));
    const known = new Set([...Object.keys(FUNCTIONS), ...Object.keys(RUN_FUNCTIONS)]);
    const ctx: ValidateContext = {
      workflow: wf,
      report,
      expressions: (value, at, extra = []) => {
        if (typeof value === 'string') {
          try {
            for (const name of functionsCalled(parseTemplate(value))) {
              if (!known.has(name) && !extra.includes(name)) report(at, 'workflow-function', `the function "${name}" is not supported by the sandbox runtime`);
            }
          } catch (e) {
            report(at, 'workflow-expression', (e as Error).message);
          }
        } else if (Array.isArray(value)) value.forEach((v, i) => ctx.expressions(v, `${at}/${i}`, extra));
        else if (isObject(value)) for (const [k, v] of Object.entries(value)) ctx.expressions(v, `${at}${pointer(k)}`, extra);
      },
      apiOf: (host, at) => this.resolveApi(host, at, report),
      actions: (actions, at) => this.validateActions(actions, at, ctx),
      staticValue: (value) => {
        try {
          return evaluateDeep(value, { functions: {} });
        } catch {
          return undefined;
        }
      },
    };
    this.seenNames.clear();
    const triggers = isObject(wf.definition.triggers) ? Object.keys(wf.definition.triggers) : [];
    if (triggers.length !== 1) report(`${wf.at}/triggers`, 'workflow-trigger', `a workflow has exactly one trigger; this one has ${triggers.length}`);
    else triggerCheck(ctx);
    this.validateActions(wf.definition.actions ?? {}, `${wf.at}/actions`, ctx);
    return problems;
  }

  private resolveApi(host: unknown, at: string, report: ValidateContext['report']): ConnectorApi | undefined {
    const wf = this.workflow;
    if (!isObject(host)) {
      report(at, 'workflow-connection', 'the inputs have no host object naming the connection');
      return undefined;
    }
    let name: string | undefined;
    let refAt = `${at}/connectionName`;
    if (typeof host.connectionName === 'string') name = host.connectionName;
    else if (isObject(host.connection) && typeof host.connection.referenceName === 'string') {
      name = host.connection.referenceName;
      refAt = `${at}/connection/referenceName`;
    } else if (isObject(host.connection) && typeof host.connection.name === 'string') {
      report(`${at}/connection/name`, 'workflow-connection', 'the Consumption form "@parameters(\'$connections\')[...]" is not supported: use referenceName (Standard)');
      return undefined;
    }
    const ref = name !== undefined ? wf.connections.get(name) : undefined;
    if (!ref) {
      report(refAt, 'workflow-connection', `connection ${JSON.stringify(name ?? null)} is not declared (${wf.style === 'power-automate' ? 'properties.connectionReferences' : 'connections.json managedApiConnections'})`);
      return undefined;
    }
    if (typeof host.apiId === 'string' && !host.apiId.endsWith(`/shared_${ref.api}`) && !host.apiId.endsWith(`/${ref.api}`)) {
      report(`${at}/apiId`, 'workflow-connection', `apiId "${host.apiId}" is not the API of connection "${name}" (${ref.api})`);
    }
    const api = this.apis.get(ref.api);
    if (api) this.usedApis.add(api);
    if (!api) report(refAt, 'workflow-connector', `the sandbox has no stand-in for the connector "${ref.api}" (it has ${[...this.apis.keys()].join(', ')})`);
    return api;
  }

  private validateActions(actions: unknown, at: string, ctx: ValidateContext): void {
    if (!isObject(actions)) {
      ctx.report(at, 'workflow-action', 'actions must be an object of named actions');
      return;
    }
    const names = Object.keys(actions);
    for (const [name, action] of Object.entries(actions)) {
      const aAt = `${at}${pointer(name)}`;
      if (this.seenNames.has(name)) ctx.report(aAt, 'workflow-action', `action name "${name}" is used twice: names are unique across the workflow`);
      this.seenNames.add(name);
      if (!isObject(action)) {
        ctx.report(aAt, 'workflow-action', `action "${name}" is not an object`);
        continue;
      }
      const type = typeof action.type === 'string' ? action.type : '';
      const impl = Object.entries(this.actionTypes).find(([t]) => t.toLowerCase() === type.toLowerCase())?.[1];
      if (!impl) ctx.report(`${aAt}/type`, 'workflow-action-type', `action "${name}": the action type "${type}" is not supported by the sandbox runtime (it runs ${Object.keys(this.actionTypes).join(', ')})`);
      else {
        impl.validate(action, aAt, ctx);
        for (const key of Object.keys(action)) {
          if (!COMMON_KEYS.includes(key) && !(impl.keys ?? []).includes(key)) ctx.report(`${aAt}${pointer(key)}`, 'workflow-setting', `action "${name}": "${key}" is not implemented by the sandbox runtime for ${type} actions`);
        }
      }
      const after = action.runAfter ?? {};
      if (!isObject(after)) ctx.report(`${aAt}/runAfter`, 'workflow-run-after', `action "${name}": runAfter must be an object`);
      else {
        for (const [pred, statuses] of Object.entries(after)) {
          if (!names.includes(pred) || pred === name) ctx.report(`${aAt}/runAfter${pointer(pred)}`, 'workflow-run-after', `action "${name}" runs after "${pred}", which is not an action of the same scope`);
          const list = Array.isArray(statuses) ? statuses : [];
          if (list.length === 0 || list.some((s) => typeof s !== 'string' || !STATUSES.includes(capitalised(s)))) {
            ctx.report(`${aAt}/runAfter${pointer(pred)}`, 'workflow-run-after', `action "${name}": runAfter statuses must be a non-empty list of ${STATUSES.join(', ')}`);
          }
        }
      }
    }
    // A cycle would leave actions that never become ready.
    const done = new Set<string>();
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const [name, action] of Object.entries(actions)) {
        const after = isObject(action) && isObject(action.runAfter) ? Object.keys(action.runAfter) : [];
        if (!done.has(name) && after.every((p) => done.has(p) || !names.includes(p))) {
          done.add(name);
          progressed = true;
        }
      }
    }
    for (const name of names.filter((n) => !done.has(n))) ctx.report(`${at}${pointer(name)}/runAfter`, 'workflow-run-after', `action "${name}" is in a runAfter cycle`);
  }

  /** Runs the actions for one trigger output; never throws (a failure is the run's status). */
  async run(triggerName: string, outputs: WorkflowRun['trigger']['outputs'], hooks: RunHooks = { suspend: (wait) => wait }): Promise<WorkflowRun> {
    const state: RunState = {
      now: this.env.now,
      trigger: { name: triggerName, outputs },
      records: new Map(),
      definition: this.workflow.definition,
      variables: new Map(),
      items: new Map(),
      itemStack: [],
    };
    const scope = scopeOf(state);
    const run: WorkflowRun = { id: this.nextId++, startedAt: this.env.now(), status: 'Succeeded', trigger: state.trigger, actions: [] };
    const ctx: RunContext = {
      workflow: this.workflow,
      env: this.env,
      evaluate: (value) => evaluateDeep(value, scope),
      api: (host) => {
        const api = this.resolveApi(host, '', () => undefined);
        if (!api) throw new Error('connection not resolved (the definition was validated; this is a bug)');
        return api;
      },
      runActions: (actions, at) => this.runActions(actions, at, ctx, state, run),
      variables: state.variables!,
      items: state.items!,
      forget: (actions) => {
        const drop = (scope: unknown): void => {
          if (!isObject(scope)) return;
          for (const [name, a] of Object.entries(scope)) {
            state.records.delete(name);
            if (isObject(a)) {
              drop(a.actions);
              if (isObject(a.else)) drop(a.else.actions);
            }
          }
        };
        drop(actions);
      },
      scopeFailure: (actions) => {
        const handled = handledStatuses(actions, false);
        for (const name of Object.keys(actions)) {
          const r = state.records.get(name);
          if (r && unhandled(r, handled)) return `${name}: ${r.error}`;
        }
        return undefined;
      },
      suspend: (wait) => hooks.suspend(wait),
      withItem: async (item, run) => {
        state.itemStack!.push(item);
        try {
          return await run();
        } finally {
          state.itemStack!.pop();
        }
      },
    };
    await ctx.runActions(isObject(this.workflow.definition.actions) ? this.workflow.definition.actions : {}, `${this.workflow.at}/actions`);
    const handled = handledStatuses(this.workflow.definition.actions, true);
    const cancelled = run.actions.find((a) => a.status === 'Cancelled');
    const failed = run.actions.find((a) => unhandled(a, handled));
    if (cancelled) {
      run.status = 'Cancelled';
      run.error = `${cancelled.name}: ${cancelled.error}`;
    } else if (failed) {
      run.status = 'Failed';
      run.error = `${failed.name}: ${failed.error}`;
    }
    this.runs.push(run);
    return run;
  }

  private async runActions(actions: JsonObject, at: string, ctx: RunContext, state: RunState, run: WorkflowRun): Promise<void> {
    const pending = Object.keys(actions);
    while (pending.length > 0) {
      const ready = pending.find((name) => {
        const after = (actions[name] as JsonObject).runAfter;
        return !isObject(after) || Object.keys(after).every((p) => state.records.has(p));
      });
      if (ready === undefined) return; // a cycle (refused by validate)
      pending.splice(pending.indexOf(ready), 1);
      const action = actions[ready] as JsonObject;
      const type = String(action.type);
      const rec: ActionRecord = { name: ready, type, status: 'Succeeded' };
      const after = isObject(action.runAfter) ? action.runAfter : {};
      const allowed = Object.entries(after).every(([p, s]) => Array.isArray(s) && s.some((x) => capitalised(String(x)) === state.records.get(p)!.status));
      if (!allowed) {
        rec.status = 'Skipped';
      } else {
        const impl = Object.entries(this.actionTypes).find(([t]) => t.toLowerCase() === type.toLowerCase())![1];
        try {
          const out = await impl.run(action, `${at}${pointer(ready)}`, ctx);
          rec.inputs = out.inputs;
          rec.outputs = out.outputs;
        } catch (e) {
          rec.status = e instanceof ActionTimedOut ? 'TimedOut' : e instanceof ActionCancelled ? 'Cancelled' : 'Failed';
          rec.error = (e as Error).message;
        }
      }
      state.records.set(ready, rec);
      run.actions.push(rec);
    }
  }
}

/**
 * For each action, the statuses some action of the scope runs after (`runAfter`): a failure or timeout
 * listed there is handled. `deep`: nested scopes too (the run's verdict looks at every action).
 */
function handledStatuses(actions: unknown, deep: boolean): Map<string, Set<string>> {
  const handled = new Map<string, Set<string>>();
  const collect = (scope: unknown): void => {
    if (!isObject(scope)) return;
    for (const a of Object.values(scope)) {
      if (!isObject(a)) continue;
      if (isObject(a.runAfter)) {
        for (const [p, st] of Object.entries(a.runAfter)) {
          if (!Array.isArray(st)) continue;
          const set = handled.get(p) ?? new Set<string>();
          for (const x of st) set.add(capitalised(String(x)));
          handled.set(p, set);
        }
      }
      if (deep) {
        collect(a.actions);
        if (isObject(a.else)) collect(a.else.actions);
      }
    }
  };
  collect(actions);
  return handled;
}

/** A failure or timeout no action runs after. */
function unhandled(record: ActionRecord, handled: Map<string, Set<string>>): boolean {
  return (record.status === 'Failed' || record.status === 'TimedOut') && !handled.get(record.name)?.has(record.status);
}

/** Status names compare case-insensitively (`succeeded` and `Succeeded` both occur in the wild). */
function capitalised(s: string): string {
  return STATUSES.find((x) => x.toLowerCase() === s.toLowerCase()) ?? s;
}

export { WorkflowError };
