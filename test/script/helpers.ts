// Shared by the script tests: one ScriptHost per test file, purpose-made PBX answers and steps.
import { afterAll, beforeAll } from 'vitest';
import { connector } from '../../connector/model/connector';
import type { PollingTrigger, WebhookTrigger } from '../../connector/model/types';
import type { JsonValue, ScenarioStep } from '../../contract/scenario';
import { ScriptHost, type ScriptHostOptions, type ScriptRequest, type ScriptResult } from '../../script-host/host';
import { StepServer, type StepServerOptions } from '../../script-host/step-server';

export const PBX = 'https://zvanuparvaldnieks.lmt.lv/api/v2';
/** The connector's own URL base as the platform calls it (fictional connection id). */
export const CONNECTOR = 'https://europe-002.azure-apim.net/apim/zvanu-parvaldnieks/0c0ffee0c0ffee0c0ffee0c0ffee0c0f';
export const KEY = 'test-key-7f3a9c';

/**
 * Starts one host for the whole test file (compiled once through the cache), in virtual time: the
 * script's budget and the platform's 5 s limit are the real ones, and only the latencies a backend
 * declares move the clock, so no answer depends on how busy the machine is. SCRIPT_CSX may name a
 * variant of the script to run the suite against (e.g. to see a test fail without a behaviour).
 */
export function useScriptHost(options: ScriptHostOptions = {}): () => ScriptHost {
  const host = new ScriptHost({ scriptPath: process.env.SCRIPT_CSX || undefined, clock: 'virtual', ...options });
  beforeAll(() => host.start());
  afterAll(() => host.stop());
  return () => host;
}

/** The model's polling triggers (cursor parameter `stateParameter`, id field `cursorField`): a trigger added there is tested here. */
export const POLLING_TRIGGERS: readonly PollingTrigger[] = connector.operations.filter((op): op is PollingTrigger => op.kind === 'polling');

/** The model's webhook triggers (`event.name` is the PBX event). */
export const WEBHOOK_TRIGGERS: readonly WebhookTrigger[] = connector.operations.filter((op): op is WebhookTrigger => op.kind === 'webhook');

export function envelope(data: JsonValue, extra: Record<string, JsonValue> = {}): JsonValue {
  return { version: '2', status: 'success', statusCode: 200, message: '', ...extra, data };
}

export function errorEnvelope(statusCode: number, message: string): JsonValue {
  return { version: '2', status: 'error', statusCode, message };
}

/** Call-history items with the given ids, in the given order. */
export function calls(ids: number[]): JsonValue[] {
  return ids.map((callID) => ({ callID, caller: '+3710000001', destination: '+3710000002', direction: 'in', status: 1, callStarted: '2024-03-01T10:00:00+02:00', connectionTime: 12 }));
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1) out.push(i);
  return out;
}

export function get(path: string, query: Record<string, string>, status: number, body: JsonValue, headers: Record<string, string> = { 'content-type': 'application/json' }): ScenarioStep {
  return {
    request: { method: 'GET', path: `/api/v2${path}`, query, headers: { authorization: 'Bearer <redacted>' }, body: null },
    response: { status, headers, body },
  };
}

export interface Call {
  operationId: string;
  method?: string;
  path: string;
  query?: Record<string, string>;
  body?: JsonValue;
  /** The raw value the platform puts in Authorization (the connection's api_key); null = no header. */
  authorization?: string | null;
  originalRequestUri?: string | null;
}

export function scriptRequest(call: Call): ScriptRequest {
  const url = new URL(PBX + call.path);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = {};
  const authorization = call.authorization === undefined ? `Bearer ${KEY}` : call.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  return {
    operationId: call.operationId,
    method: call.method ?? 'GET',
    url: url.toString(),
    headers,
    body: call.body === undefined ? null : JSON.stringify(call.body),
    originalRequestUri: call.originalRequestUri === undefined ? `${CONNECTOR}${call.path}` : call.originalRequestUri,
  };
}

/** Runs one execution against steps served in order; fails the test if any step did not match. */
export async function run(host: ScriptHost, call: Call, steps: ScenarioStep[], options: StepServerOptions = {}): Promise<ScriptResult & { json: Record<string, unknown> | undefined; server: StepServer }> {
  const server = new StepServer(steps, { authorization: `Bearer ${KEY}`, ...options });
  const result = await host.execute(scriptRequest(call), server.backend);
  server.assertComplete();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(result.body) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { ...result, json, server };
}

export function ids(data: unknown, field = 'callID'): number[] {
  return (data as Record<string, number>[]).map((item) => item[field]);
}
