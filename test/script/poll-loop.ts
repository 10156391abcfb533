// Runs a polling trigger check after check, as the platform does (state = the last Location), through the
// Mono script host against the mock PBX in-process: any listing order, a silent page cap, and a latency
// per request in real wall time. Used by the drain and migration tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend, ScriptHost, ScriptResult } from '../../script-host/host';
import { PbxApi } from '../../sandbox/pbx/api';
import { CALL_STATUS } from '../../sandbox/pbx/model';
import type { PbxBehaviourOptions } from '../../sandbox/pbx/server';
import { PbxStore } from '../../sandbox/pbx/store';
import { formatRiga } from '../../sandbox/pbx/time';
import { CONNECTOR, KEY, PBX } from './helpers';

export const HISTORY = '/trigger/call_history';

/** A variant of script.csx (or of SCRIPT_CSX) with a shorter time budget, so that budget stops happen within a fast test. */
export function scriptWithBudget(budgetMs: number): string {
  const source = fs.readFileSync(process.env.SCRIPT_CSX || path.resolve(__dirname, '../../script.csx'), 'utf8');
  const changed = source.replace(/private const int BudgetMs = \d+;/, `private const int BudgetMs = ${budgetMs};`);
  if (changed === source) throw new Error('script.csx has no BudgetMs constant to shorten');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'budget-')), `script-${budgetMs}.csx`);
  fs.writeFileSync(file, changed);
  return file;
}

export class MockPbx {
  readonly store: PbxStore;
  readonly api: PbxApi;
  requests = 0;
  /** Called after each PBX request has been answered (e.g. to add items in the middle of a check). */
  afterRequest: ((index: number) => void) | undefined;

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

  /** The script's backend: the mock API, answered after its latency (real wall time). */
  backend: Backend = async (outbound) => {
    const url = new URL(outbound.url);
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, name) => (query[name] = value));
    const response = this.api.handle({ method: outbound.method, path: url.pathname, query, headers: outbound.headers, body: outbound.body ?? '' });
    const index = this.requests++;
    const delay = this.api.latency();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    this.afterRequest?.(index);
    return { status: response.status, headers: response.headers, body: response.body };
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

/** One check of the trigger at `location` (a connector URL), as the gateway would hand it to the script. */
export async function check(host: ScriptHost, pbx: PbxBackend, location: string, operationId = 'GetCallHistory'): Promise<Check> {
  const connector = new URL(location);
  const relative = connector.pathname.slice(new URL(CONNECTOR).pathname.length);
  const before = pbx.requests;
  const result = await host.execute(
    { operationId, method: 'GET', url: `${PBX}${relative}${connector.search}`, headers: { Authorization: `Bearer ${KEY}` }, originalRequestUri: location },
    pbx.backend,
  );
  const delivered = result.status === 200 ? ((JSON.parse(result.body) as { data: Array<{ callID: number }> }).data.map((c) => c.callID)) : [];
  return { result, delivered, pbxRequests: result.outbound.slice(0, pbx.requests - before).map((o) => o.url) };
}

export interface Drain {
  checks: Check[];
  delivered: number[];
  location: string;
}

/** Checks until a plain 202 (nothing owed) or `maxChecks`; every check starts from the last Location. */
export async function drain(host: ScriptHost, pbx: PbxBackend, location: string, maxChecks: number, between?: (checkIndex: number) => void): Promise<Drain> {
  const checks: Check[] = [];
  let next = location;
  for (let i = 0; i < maxChecks; i++) {
    const c = await check(host, pbx, next);
    checks.push(c);
    if (c.result.status !== 200 && c.result.status !== 202) throw new Error(`check ${i + 1} answered ${c.result.status}: ${c.result.body}`);
    next = c.result.headers.location ?? next;
    if (c.result.status === 202 && c.result.headers['retry-after'] === undefined) break;
    between?.(i);
  }
  return { checks, delivered: checks.flatMap((c) => c.delivered), location: next };
}

/** The URL a new flow's first check calls: the operation with its inputs and the internal cursor at its default 0. */
export function firstUrl(query: Record<string, string> = {}, path = HISTORY, cursor = 'initial_call_id'): string {
  const url = new URL(`${CONNECTOR}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  url.searchParams.set(cursor, '0');
  return url.toString();
}
