// Runs a polling trigger check after check, as the platform does (state = the last Location), through the
// Mono script host against the mock PBX in-process: any listing order, a silent page cap, and a latency
// per request (declared to the host: waited in wall time, counted in virtual time). Used by the drain tests.
import type { Backend, ScriptHost, ScriptResult } from '../../script-host/host';
import { PbxApi } from '../../sandbox/pbx/api';
import { CALL_STATUS } from '../../sandbox/pbx/model';
import type { PbxBehaviourOptions } from '../../sandbox/pbx/server';
import { prng } from '../../sandbox/pbx/seed';
import { PbxStore } from '../../sandbox/pbx/store';
import { formatRiga } from '../../sandbox/pbx/time';
import { CONNECTOR, KEY, PBX } from './helpers';

export const HISTORY = '/trigger/call_history';

export class MockPbx {
  readonly store: PbxStore;
  readonly api: PbxApi;
  requests = 0;
  /** Called after each PBX request has been answered (e.g. to add items in the middle of a check). */
  afterRequest: ((index: number) => void) | undefined;
  /** The latency's jitter is drawn from a seeded source: a run's virtual time is the same every time. */
  private readonly random = prng(7);

  constructor({ recordingLinks, ...options }: PbxBehaviourOptions = {}) {
    this.store = PbxStore.seeded({ calls: 0 }, { recordingLinks });
    this.api = new PbxApi(this.store, { apiKey: KEY, ...options });
  }

  /** Adds `count` answered calls; returns their ids. */
  addCalls(count: number): number[] {
    const contact = this.store.view('contacts')[0];
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const stamp = formatRiga(Date.parse('2026-11-02T09:15:00+02:00') + i * 1000);
      ids.push(
        this.store.add('calls', {
          caller: '+37100000001', destination: contact.number, direction: 'in', status: CALL_STATUS.answered,
          callStarted: stamp, callConnected: stamp, callEnded: stamp, contactID: contact.contactID, transferredTo: null,
        }).callID,
      );
    }
    return ids;
  }

  /** The script's backend: the mock API's answer, with its latency (jitter included) for the host to apply. */
  backend: Backend = (outbound) => {
    const url = new URL(outbound.url);
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, name) => (query[name] = value));
    const response = this.api.handle({ method: outbound.method, path: url.pathname, query, headers: outbound.headers, body: outbound.body ?? '' });
    const index = this.requests++;
    this.afterRequest?.(index);
    return { status: response.status, headers: response.headers, body: response.body, latencyMs: this.api.latency(this.random) };
  };
}

/** What check() and drain() need of a PBX: the script's backend and a count of the requests it answered. */
export interface PbxBackend {
  backend: Backend;
  requests: number;
}

export interface Check {
  result: ScriptResult;
  /** The call ids delivered (200), in the order answered. */
  delivered: number[];
  /** PBX requests this check made. */
  pbxRequests: string[];
}

/**
 * One execution of an operation at a connector URL (a flow's first URL, a Location, a nextLink), as the
 * gateway hands it to the script. A script that throws rejects (execute does).
 */
export function executeAt(host: ScriptHost, pbx: PbxBackend, url: string, operationId: string): Promise<ScriptResult> {
  const connector = new URL(url);
  const relative = connector.pathname.slice(new URL(CONNECTOR).pathname.length);
  return host.execute(
    { operationId, method: 'GET', url: `${PBX}${relative}${connector.search}`, headers: { Authorization: `Bearer ${KEY}` }, originalRequestUri: url },
    pbx.backend,
  );
}

/** One check of the trigger at `location` (a connector URL), as the gateway would hand it to the script. */
export async function check(host: ScriptHost, pbx: PbxBackend, location: string, operationId = 'GetCallHistory'): Promise<Check> {
  const before = pbx.requests;
  const result = await executeAt(host, pbx, location, operationId);
  const delivered = result.status === 200 ? ((JSON.parse(result.body) as { data: Array<{ callID: number }> }).data.map((c) => c.callID)) : [];
  return { result, delivered, pbxRequests: result.outbound.slice(0, pbx.requests - before).map((o) => o.url) };
}

/**
 * The platform's polling loop: `checkAt` the first URL, then each Location answered, until a plain 202
 * (nothing owed) or `maxChecks`; `between` runs after each check that is not the last.
 */
export async function pollLoop<C extends { result: ScriptResult }>(
  checkAt: (url: string, index: number) => Promise<C>,
  location: string,
  maxChecks: number,
  between?: (checkIndex: number) => void,
): Promise<{ checks: C[]; location: string }> {
  const checks: C[] = [];
  let next = location;
  for (let i = 0; i < maxChecks; i++) {
    const c = await checkAt(next, i);
    checks.push(c);
    next = c.result.headers.location ?? next;
    if (c.result.status === 202 && c.result.headers['retry-after'] === undefined) break;
    between?.(i);
  }
  return { checks, location: next };
}

export interface Drain {
  checks: Check[];
  delivered: number[];
  location: string;
}

/** Checks until a plain 202 (nothing owed) or `maxChecks`; every check starts from the last Location. */
export async function drain(host: ScriptHost, pbx: PbxBackend, location: string, maxChecks: number, between?: (checkIndex: number) => void): Promise<Drain> {
  const run = await pollLoop(
    async (url, i) => {
      const c = await check(host, pbx, url);
      if (c.result.status !== 200 && c.result.status !== 202) throw new Error(`check ${i + 1} answered ${c.result.status}: ${c.result.body}`);
      return c;
    },
    location,
    maxChecks,
    between,
  );
  return { ...run, delivered: run.checks.flatMap((c) => c.delivered) };
}

/** The URL a new flow's first check calls: the operation with its inputs and the internal cursor at its default 0. */
export function firstUrl(query: Record<string, string> = {}, path = HISTORY, cursor = 'initial_call_id'): string {
  const url = new URL(`${CONNECTOR}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  url.searchParams.set(cursor, '0');
  return url.toString();
}
