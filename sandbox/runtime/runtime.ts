/**
 * The flow runtime: a small stand-in for the platform's engine. Flows are data (a trigger with
 * its inputs, an optional condition, a sink). It talks to the connector only through the gateway,
 * as the platform does.
 *
 * Webhook triggers: turning a flow on POSTs the trigger's subscribe operation with a callback URL
 * of this runtime in the body property marked x-ms-notification-url, and keeps the Location of the
 * answer. Editing the trigger, turning the flow off or deleting it sends DELETE to that Location;
 * without a Location there is nothing to delete and the PBX keeps the subscription (the leak of the
 * 1.0 connector). Each event POSTed to a callback is validated against the trigger's
 * x-ms-notification-content schema and starts one run; a malformed event, an invalid one or one for
 * an unknown subscription gets a 4xx and is logged.
 *
 * Polling triggers: the platform's protocol (see poll()). The runtime always calls the last Location
 * it got, every `recurrenceMs` of virtual time or sooner when Retry-After says so; a 200 starts one
 * run per item. A failed poll (5xx, dropped connection, throttling, a script over its time limit)
 * keeps the Location, so the next poll asks for the same items again.
 */
import { randomBytes } from 'crypto';
import type { VirtualClock, TimerHandle } from '../clock';
import type { SandboxConnector } from '../connector';
import { evaluateTriggerExpression } from '../../lib/expression';
import type { Json, SchemaIssue } from '../../lib/definition';
import { parseJson } from '../../lib/json';
import { jsonResponse, send, serve, type HttpResponse, type IncomingRequest, type RunningServer } from '../http';
import { openSink, valueAt, type Item, type Sink, type SinkSpec } from './sinks';

export interface Condition {
  /** Dotted path into the trigger output. */
  path: string;
  op: 'present' | 'equals';
  value?: unknown;
}

export interface FlowDefinition {
  id: string;
  name: string;
  trigger: {
    operationId: string;
    /** Inputs by parameter name, as the maker set them. */
    inputs?: Record<string, unknown>;
    /** Polling triggers: interval between polls (default 3 minutes). */
    recurrenceMs?: number;
    /**
     * Polling triggers: one run per item of the array (default, what the designer sets for a new trigger),
     * or `false`: one run per check with the whole answer (flows saved on 1.0 keep that).
     */
    splitOn?: boolean;
    /** Other trigger settings (concurrency, conditions…); changing them is an edit of the trigger. */
    settings?: Record<string, unknown>;
  };
  /** A run only acts when every condition holds (the flow's "Condition" step). */
  conditions?: Condition[];
  sink: SinkSpec;
}

export type FlowStatus = 'on' | 'off' | 'failed';

interface Subscription {
  sig: string;
  operationId: string;
  location?: string;
}

interface FlowState {
  flow: FlowDefinition;
  status: FlowStatus;
  error?: string;
  sink: Sink;
  subscription?: Subscription;
  poll?: { nextUrl?: string; timer?: TimerHandle; generation: number; checks?: number };
  runs: number;
  skipped: number;
  /** Events of this flow's subscription that started a run, and those refused (malformed, not matching the schema). */
  eventsAccepted: number;
  eventsRefused: number;
}

export interface RuntimeStats {
  subscribes: number;
  subscribeRefused: number;
  unsubscribes: number;
  /** Unsubscribes that could not happen: the subscribe answer had no Location. */
  unsubscribeMissingLocation: number;
  eventsAccepted: number;
  eventsMalformed: number;
  eventsInvalid: number;
  eventsUnknownSubscription: number;
  polls: number;
  pollFailures: number;
  pollThrottled: number;
  runs: number;
}

export interface RuntimeLogEntry {
  at: number;
  level: 'info' | 'warn' | 'error';
  flowId?: string;
  message: string;
}

export interface RuntimeOptions {
  connector: SandboxConnector;
  /** The connection's root URL on the gateway (`…/apim/<api name>/<connectionId>`). */
  connectionUrl: string;
  clock: VirtualClock;
  /** Retries of a throttled or failing subscribe/unsubscribe call (platform default: 4). */
  retries?: number;
  log?: (entry: RuntimeLogEntry) => void;
  maxLogEntries?: number;
  /** Hears every check of a polling trigger: its status and the runs it started. */
  onPoll?: (check: { flowId: string; status: number; runs: number }) => void;
}

const DEFAULT_RECURRENCE_MS = 3 * 60_000;

export class FlowRuntime {
  readonly stats: RuntimeStats = {
    subscribes: 0,
    subscribeRefused: 0,
    unsubscribes: 0,
    unsubscribeMissingLocation: 0,
    eventsAccepted: 0,
    eventsMalformed: 0,
    eventsInvalid: 0,
    eventsUnknownSubscription: 0,
    polls: 0,
    pollFailures: 0,
    pollThrottled: 0,
    runs: 0,
  };
  readonly logEntries: RuntimeLogEntry[] = [];
  private readonly flows = new Map<string, FlowState>();
  private readonly subscriptions = new Map<string, { flowId: string; subscription: Subscription }>();
  /** Webhook actions waiting for their callback, by the signature of its URL. */
  private readonly waitingActions = new Map<string, { flowId: string; settle: (answer: { headers: Record<string, string>; body: Json } | Error) => void }>();
  private nextCallback = 1;
  private server: RunningServer | undefined;

  constructor(private options: RuntimeOptions) {}

  async start(): Promise<void> {
    this.server ??= await serve((req) => this.onCallback(req));
  }

  /** Stops the callback server and closes every sink (files are complete afterwards). */
  async stop(): Promise<void> {
    for (const state of this.flows.values()) {
      state.poll?.timer?.cancel();
      await state.sink.close();
    }
    await this.server?.stop();
    this.server = undefined;
  }

  get callbackOrigin(): string {
    if (!this.server) throw new Error('runtime not started');
    return this.server.origin;
  }

  private get connector(): SandboxConnector {
    return this.options.connector;
  }

  /** A connector update: flows keep their state (a polling trigger its last Location) and use the new definition. */
  replaceConnector(connector: SandboxConnector): void {
    this.options = { ...this.options, connector };
  }

  private get clock(): VirtualClock {
    return this.options.clock;
  }

  log(level: RuntimeLogEntry['level'], message: string, flowId?: string): void {
    const entry: RuntimeLogEntry = { at: this.clock.now(), level, flowId, message };
    if (this.logEntries.length < (this.options.maxLogEntries ?? 5000)) this.logEntries.push(entry);
    this.options.log?.(entry);
  }

  flow(id: string): { status: FlowStatus; error?: string; runs: number; skipped: number; eventsAccepted: number; eventsRefused: number; sink: Sink; location?: string } | undefined {
    const s = this.flows.get(id);
    return s && { status: s.status, error: s.error, runs: s.runs, skipped: s.skipped, eventsAccepted: s.eventsAccepted, eventsRefused: s.eventsRefused, sink: s.sink, location: s.subscription?.location };
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /**
   * Saves a flow (new or edited). Saving an existing flow with a changed trigger deactivates the
   * old trigger first, as the platform does; an enabled flow's trigger is then activated.
   */
  async save(flow: FlowDefinition, options: { enabled?: boolean } = {}): Promise<FlowStatus> {
    const enabled = options.enabled ?? true;
    this.connector.operation(flow.trigger.operationId); // fails early for an unknown trigger
    const existing = this.flows.get(flow.id);
    let state: FlowState;
    if (existing) {
      const triggerChanged = JSON.stringify(existing.flow.trigger) !== JSON.stringify(flow.trigger);
      if (triggerChanged || !enabled) await this.deactivate(existing);
      existing.flow = flow;
      state = existing;
      if (!enabled || (!triggerChanged && existing.status === 'on')) {
        if (!enabled) existing.status = 'off';
        return existing.status;
      }
    } else {
      state = { flow, status: 'off', sink: openSink(flow.sink), runs: 0, skipped: 0, eventsAccepted: 0, eventsRefused: 0 };
      this.flows.set(flow.id, state);
      if (!enabled) return 'off';
    }
    await this.activate(state);
    return state.status;
  }

  async setEnabled(id: string, enabled: boolean): Promise<FlowStatus> {
    const state = this.require(id);
    if (enabled && state.status !== 'on') await this.activate(state);
    if (!enabled && state.status !== 'off') {
      await this.deactivate(state);
      state.status = 'off';
    }
    return state.status;
  }

  /** Deletes a flow: deactivates its trigger and closes its sink. */
  async delete(id: string): Promise<void> {
    const state = this.require(id);
    await this.deactivate(state);
    this.flows.delete(id);
    await state.sink.close();
  }

  private require(id: string): FlowState {
    const state = this.flows.get(id);
    if (!state) throw new Error(`no flow "${id}"`);
    return state;
  }

  private async activate(state: FlowState): Promise<void> {
    const op = this.connector.operation(state.flow.trigger.operationId);
    state.error = undefined;
    if (op.trigger === 'single') await this.subscribe(state);
    else if (op.trigger === 'batch') this.startPolling(state);
    else {
      state.status = 'failed';
      state.error = `${op.operationId} is not a trigger`;
    }
  }

  private async deactivate(state: FlowState): Promise<void> {
    if (state.poll) {
      state.poll.timer?.cancel();
      state.poll = undefined;
    }
    const sub = state.subscription;
    if (sub) {
      state.subscription = undefined;
      this.subscriptions.delete(sub.sig);
      if (!sub.location) {
        this.stats.unsubscribeMissingLocation++;
        this.log('warn', `${sub.operationId}: the subscribe answer had no Location, so nothing can be deleted; the PBX keeps this webhook`, state.flow.id);
      } else {
        const res = await this.callWithRetries('DELETE', sub.location, {}, null, state.flow.id);
        if (res && (res.status < 300 || res.status === 404)) this.stats.unsubscribes++;
        else this.log('error', `unsubscribe ${sub.location} failed: ${res ? `${res.status} ${res.body.slice(0, 200)}` : 'no answer'}`, state.flow.id);
      }
    }
    if (state.status === 'on') state.status = 'off';
  }

  // --- webhook triggers ------------------------------------------------------------------------

  private async subscribe(state: FlowState): Promise<void> {
    const { operationId, inputs = {} } = state.flow.trigger;
    const sig = randomBytes(12).toString('hex');
    const callback = `${this.callbackOrigin}/workflows/${encodeURIComponent(state.flow.id)}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${sig}`;
    const call = this.connector.buildCall(operationId, inputs, { callbackUrl: callback });
    const url = this.options.connectionUrl + call.path;
    this.stats.subscribes++;
    const res = await this.callWithRetries(call.method, url, call.headers, call.body, state.flow.id);
    if (!res || res.status >= 300) {
      this.stats.subscribeRefused++;
      state.status = 'failed';
      state.error = res ? `subscribe refused: ${res.status} ${messageOf(res.body)}` : 'subscribe failed: no answer';
      this.log('error', `${operationId}: ${state.error}`, state.flow.id);
      return;
    }
    const location = res.headers.location ? new URL(res.headers.location, url).toString() : undefined;
    const subscription: Subscription = { sig, operationId, location };
    state.subscription = subscription;
    this.subscriptions.set(sig, { flowId: state.flow.id, subscription });
    state.status = 'on';
  }

  /** Sends a platform call, honouring 429 Retry-After and retrying 408/5xx/transport errors. */
  private async callWithRetries(method: string, url: string, headers: Record<string, string>, body: string | null, flowId: string): Promise<HttpResponse | undefined> {
    const retries = this.options.retries ?? 4;
    let last: HttpResponse | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        last = await send({ method, url, headers, body });
      } catch (e) {
        this.log('warn', `${method} ${url}: ${(e as Error).message}`, flowId);
        last = undefined;
        await this.clock.advanceBy(7_500 * (attempt + 1));
        continue;
      }
      if (last.status === 429) {
        const wait = Number(last.headers['retry-after'] ?? '10');
        await this.clock.advanceBy((Number.isFinite(wait) && wait > 0 ? wait : 10) * 1000);
        continue;
      }
      if (last.status === 408 || last.status >= 500) {
        await this.clock.advanceBy(7_500 * (attempt + 1));
        continue;
      }
      return last;
    }
    return last;
  }

  // --- webhook actions -------------------------------------------------------------------------

  /**
   * A callback URL for a webhook action of one of a flow's runs, as the platform hands a webhook action
   * (`.../runs/<n>/actions/<action>/run?...&sig=...`): the first POST of a JSON body answers the action;
   * `fail` ends the wait instead (a timeout, the flow stopped).
   */
  actionCallback(flowId: string, action: string): { url: string; response: Promise<{ headers: Record<string, string>; body: Json }>; fail(error: Error): void } {
    const sig = randomBytes(12).toString('hex');
    const url = `${this.callbackOrigin}/workflows/${encodeURIComponent(flowId)}/runs/${this.nextCallback++}/actions/${encodeURIComponent(action)}/run?api-version=2016-06-01&sig=${sig}`;
    let settle: (answer: { headers: Record<string, string>; body: Json } | Error) => void = () => undefined;
    const response = new Promise<{ headers: Record<string, string>; body: Json }>((resolve, reject) => {
      settle = (answer) => {
        this.waitingActions.delete(sig);
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      };
    });
    this.waitingActions.set(sig, { flowId, settle });
    return { url, response, fail: (error) => this.waitingActions.get(sig)?.settle(error) };
  }

  /** Ends every wait of a flow's webhook actions with `error` (the flow is stopped: its waiting runs are cancelled). */
  cancelWaitingActions(flowId: string, error: () => Error): number {
    const waiting = [...this.waitingActions.values()].filter((w) => w.flowId === flowId);
    for (const w of waiting) w.settle(error());
    return waiting.length;
  }

  /** Webhook actions of a flow waiting for their callback. */
  waitingActionCount(flowId: string): number {
    return [...this.waitingActions.values()].filter((w) => w.flowId === flowId).length;
  }

  private onActionCallback(req: IncomingRequest): HttpResponse {
    const waiting = this.waitingActions.get(req.url.searchParams.get('sig') ?? '');
    if (!waiting) return jsonResponse(404, { error: { code: 'WorkflowRunActionNotFound', message: 'No action of a running flow waits for this callback (answered, timed out or cancelled).' } });
    if (req.method !== 'POST') return jsonResponse(405, { error: { code: 'MethodNotAllowed', message: 'Callbacks are POSTed.' } }, { allow: 'POST' });
    const parsed = parseJson(req.body);
    if (!parsed.ok) return jsonResponse(400, { error: { code: 'InvalidRequestContent', message: `The callback body is ${parsed.why}.` } });
    waiting.settle({ headers: req.headers, body: parsed.value as Json });
    return { status: 200, headers: {}, body: '' };
  }

  private async onCallback(req: IncomingRequest): Promise<HttpResponse> {
    if (/^\/workflows\/[^/]+\/runs\/\d+\/actions\/[^/]+\/run$/.test(req.url.pathname)) return this.onActionCallback(req);
    const m = /^\/workflows\/([^/]+)\/triggers\/manual\/paths\/invoke$/.exec(req.url.pathname);
    const sig = req.url.searchParams.get('sig') ?? '';
    const known = m ? this.subscriptions.get(sig) : undefined;
    if (!m || !known || known.flowId !== decodeURIComponent(m[1])) {
      this.stats.eventsUnknownSubscription++;
      this.log('warn', `event for an unknown subscription refused: ${req.method} ${req.url.pathname}`);
      return jsonResponse(404, { error: { code: 'WorkflowTriggerNotFound', message: 'No active subscription for this callback URL.' } });
    }
    const state = this.flows.get(known.flowId);
    if (!state) return jsonResponse(404, { error: { code: 'WorkflowNotFound', message: 'The flow no longer exists.' } });
    if (req.method !== 'POST') return jsonResponse(405, { error: { code: 'MethodNotAllowed', message: 'Events are POSTed.' } }, { allow: 'POST' });
    const parsed = parseJson(req.body);
    if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      this.stats.eventsMalformed++;
      state.eventsRefused++;
      const why = parsed.ok ? 'the body is not a JSON object' : `the body is ${parsed.why}`;
      this.log('warn', `${known.subscription.operationId}: malformed event refused: ${why}`, state.flow.id);
      return jsonResponse(400, { error: { code: 'InvalidRequestContent', message: `Malformed event: ${why}.` } });
    }
    // An integer beyond its declared format's range (an id beyond int32, as the big-ids PBX sends) passes: the
    // format types the designer's token, and the platform hands the event on as it came (unconfirmed).
    const issues = this.connector.validateEvent(known.subscription.operationId, parsed.value as Json).filter((i) => !integerBeyondFormat(i));
    if (issues.length > 0) {
      this.stats.eventsInvalid++;
      state.eventsRefused++;
      const text = issues.slice(0, 3).map((i) => `${i.dataPath || '(event)'}: expected ${i.expected}`).join('; ');
      this.log('warn', `${known.subscription.operationId}: event does not match the trigger's schema: ${text}`, state.flow.id);
      return jsonResponse(400, { error: { code: 'TriggerInputSchemaMismatch', message: `The event does not match the trigger's schema: ${text}` } });
    }
    this.stats.eventsAccepted++;
    state.eventsAccepted++;
    // Ids beyond 2^53 stay whole (as their digits), as in the connector's answers.
    const exact = parseJson(req.body, { exactIntegers: true });
    this.run(state, (exact.ok ? exact.value : parsed.value) as Item);
    return { status: 202, headers: {}, body: '' };
  }

  // --- polling triggers ------------------------------------------------------------------------

  private startPolling(state: FlowState): void {
    const generation = (state.poll?.generation ?? 0) + 1;
    state.poll = { generation };
    state.status = 'on';
    state.poll.timer = this.clock.after(0, () => this.poll(state, generation));
  }

  private schedulePoll(state: FlowState, generation: number, delayMs: number): void {
    if (!state.poll || state.poll.generation !== generation) return;
    state.poll.timer = this.clock.after(delayMs, () => this.poll(state, generation));
  }

  /**
   * One check, by the documented protocol: the trigger's state is the last Location. The first check
   * calls the operation with the flow's inputs (internal parameters at their defaults; under a declared
   * policy the state parameter is left out, as the policy expects). 202 = no run; 200 = one run per item
   * of the split-on array (the policy's data path, else `data`). The next check comes after the flow's
   * recurrence, sooner when the answer carries a shorter Retry-After (0 = now).
   */
  private async poll(state: FlowState, generation: number): Promise<void> {
    const poll = state.poll;
    if (!poll || poll.generation !== generation) return;
    const { operationId, inputs = {}, recurrenceMs = DEFAULT_RECURRENCE_MS } = state.flow.trigger;
    const op = this.connector.operation(operationId);
    const policy = op.polling?.declaredBy === 'policy' ? op.polling : undefined;
    const call = this.connector.buildCall(operationId, inputs, { omit: policy ? [policy.parameter] : [] });
    const url = poll.nextUrl ?? this.options.connectionUrl + call.path;
    this.stats.polls++;
    poll.checks = (poll.checks ?? 0) + 1;
    let res: HttpResponse;
    try {
      res = await send({ method: call.method, url, headers: call.headers });
    } catch (e) {
      this.stats.pollFailures++;
      this.log('warn', `${operationId}: poll failed, will ask again: ${(e as Error).message}`, state.flow.id);
      return this.schedulePoll(state, generation, recurrenceMs);
    }
    if (res.status === 429) {
      this.stats.pollThrottled++;
      const wait = Number(res.headers['retry-after'] ?? '60');
      return this.schedulePoll(state, generation, Math.max(1, Number.isFinite(wait) ? wait : 60) * 1000);
    }
    if (res.status !== 200 && res.status !== 202) {
      this.stats.pollFailures++;
      this.log('warn', `${operationId}: poll answered ${res.status}, will ask again: ${messageOf(res.body)}`, state.flow.id);
      return this.schedulePoll(state, generation, recurrenceMs);
    }
    let runs = 0;
    if (res.status === 200) {
      // Ids beyond 2^53 stay whole (as their digits), as the platform's .NET JSON keeps them (unconfirmed).
      const parsed = parseJson(res.body, { exactIntegers: true });
      const items = parsed.ok ? evaluateTriggerExpression(policy?.dataPath ?? op.polling?.dataPath ?? '@triggerBody().data', parsed.value as Json) : undefined;
      if (!Array.isArray(items)) {
        this.stats.pollFailures++;
        this.log('error', `${operationId}: a 200 whose data path holds no array; no runs`, state.flow.id);
        return this.schedulePoll(state, generation, recurrenceMs);
      }
      if (state.flow.trigger.splitOn === false) {
        if (parsed.ok) this.run(state, parsed.value as Item);
        runs = 1;
      } else {
        for (const item of items) this.run(state, item as Item);
        runs = items.length;
      }
    }
    this.options.onPoll?.({ flowId: state.flow.id, status: res.status, runs });
    if (res.headers.location) poll.nextUrl = new URL(res.headers.location, url).toString();
    this.schedulePoll(state, generation, nextInterval(recurrenceMs, res.headers['retry-after']));
  }

  /** Checks made by a polling flow since it was turned on (its trigger's history length). */
  pollChecks(id: string): number {
    return this.flows.get(id)?.poll?.checks ?? 0;
  }

  // --- runs ------------------------------------------------------------------------------------

  private run(state: FlowState, item: Item): void {
    this.stats.runs++;
    state.runs++;
    const pass = (state.flow.conditions ?? []).every((c) => {
      const v = valueAt(item, c.path);
      return c.op === 'present' ? v !== undefined && v !== null && v !== '' : JSON.stringify(v) === JSON.stringify(c.value);
    });
    if (!pass) {
      state.skipped++;
      return;
    }
    try {
      state.sink.write(item);
    } catch (e) {
      this.log('error', `run failed writing to the sink: ${(e as Error).message}`, state.flow.id);
    }
  }
}

/** A schema issue that is only an integer beyond the range of its declared format (int32, int64). */
function integerBeyondFormat(issue: SchemaIssue): boolean {
  return issue.keyword === 'format' && /^format int(32|64)$/.test(issue.expected) && typeof issue.actual === 'number' && Number.isInteger(issue.actual);
}

/** The flow's recurrence, shortened (never lengthened) by a Retry-After in seconds. */
export function nextInterval(recurrenceMs: number, retryAfter: string | undefined): number {
  if (retryAfter === undefined || !/^\s*\d+\s*$/.test(retryAfter)) return recurrenceMs;
  return Math.min(recurrenceMs, Number(retryAfter) * 1000);
}

function messageOf(body: string): string {
  const parsed = parseJson(body);
  if (parsed.ok && parsed.value && typeof parsed.value === 'object') {
    const v = parsed.value as Record<string, unknown>;
    const err = v.error as Record<string, unknown> | undefined;
    const message = v.message ?? err?.message;
    if (typeof message === 'string' && message) return message;
  }
  return body.slice(0, 200);
}
