// The PBX profile matrix: every test of test/profiles/ runs under each named profile of
// sandbox/pbx/profiles.ts (or only under the one ZP_PBX_PROFILE names: a name, or a profile file such as
// the one `npm run probe-pbx` writes). Script-level helpers run script.csx in the Mono host against the
// mock PBX in-process (MockPbx of test/script/poll-loop.ts, with the profile's options; its latency is
// declared to the host, which counts it in virtual time: useScriptHost of test/script/helpers.ts); ids are
// read exactly (as digits), since a profile may write ids beyond 2^53 that JSON.parse would round.
import { expect } from 'vitest';
import { parseJson } from '../../lib/json';
import type { ScriptHost, ScriptResult } from '../../script-host/host';
import { apiOptionsOf, loadProfile, PROFILES, type PbxProfile } from '../../sandbox/pbx/profiles';
import { CONNECTOR } from '../script/helpers';
import { executeAt, MockPbx, pollLoop } from '../script/poll-loop';

/** The profiles of this run: every named one, or the one ZP_PBX_PROFILE names. */
export const MATRIX: readonly PbxProfile[] = process.env.ZP_PBX_PROFILE ? [loadProfile(process.env.ZP_PBX_PROFILE)] : PROFILES;

/** The mock PBX in-process under a profile (an account without calls; the seed's contacts and the rest are there). */
export function mockUnder(profile: PbxProfile): MockPbx {
  return new MockPbx(apiOptionsOf(profile));
}

/** A JSON answer parsed with every id kept whole. */
export function exact(body: string): Record<string, unknown> | undefined {
  const parsed = parseJson(body, { exactIntegers: true });
  return parsed.ok && parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? (parsed.value as Record<string, unknown>) : undefined;
}

/** The items of an answer: `value` (the platform's paging shape) or `data`. */
export function itemsOf(json: Record<string, unknown> | undefined): Array<Record<string, unknown>> {
  const items = json?.value ?? json?.data;
  return Array.isArray(items) ? (items as Array<Record<string, unknown>>) : [];
}

/** Ids as digits, whatever their size. */
export function idsOf(items: Array<Record<string, unknown>>, field: string): string[] {
  return items.map((item) => String(item[field]));
}

/** The ids the PBX writes for store ids (digits). */
export function publicIds(pbx: MockPbx, ids: readonly number[]): string[] {
  return ids.map((id) => pbx.api.publicId(id));
}

export interface Execution {
  result: ScriptResult;
  json: Record<string, unknown> | undefined;
}

/** One execution at a connector URL (test/script/poll-loop.ts `executeAt`), its answer parsed with ids whole. */
export async function execute(host: ScriptHost, pbx: MockPbx, url: string, operationId: string): Promise<Execution> {
  const result = await executeAt(host, pbx, url, operationId);
  return { result, json: exact(result.body) };
}

/** The connector URL of an operation with its query (as the designer builds it). */
export function connectorUrl(path: string, query: Record<string, string> = {}): string {
  const url = new URL(`${CONNECTOR}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * What a flow must never receive from the PBX: a Location of the PBX's own (every Location is the
 * connector's), its cookie, its Retry-After on an answer that is not a throttle.
 */
export function expectNoPbxHeaders(result: ScriptResult, what: string): void {
  const location = result.headers.location;
  if (location !== undefined) expect(location.startsWith(`${CONNECTOR}/`), `${what}: Location ${location}`).toBe(true);
  expect(result.headers['set-cookie'], `${what}: Set-Cookie`).toBeUndefined();
  if (result.status !== 429 && result.status !== 503) expect([undefined, '0'], `${what}: Retry-After`).toContain(result.headers['retry-after']);
}

export interface PollRun {
  checks: Execution[];
  /** Ids delivered over all checks, in order (digits). */
  delivered: string[];
  /** The last Location: the trigger's state after the run. */
  location: string;
}

/**
 * Checks a polling trigger until a plain 202 (nothing owed) or `maxChecks`, each from the last Location,
 * as the platform does; every check must answer 200 or 202 with the connector's Location.
 */
export async function poll(host: ScriptHost, pbx: MockPbx, location: string, options: { maxChecks?: number; operationId?: string; idField?: string; between?: (i: number) => void } = {}): Promise<PollRun> {
  const { maxChecks = 30, operationId = 'GetCallHistory', idField = 'callID' } = options;
  const run = await pollLoop(
    async (url, i) => {
      const check = await execute(host, pbx, url, operationId);
      expect([200, 202], `check ${i + 1}: ${check.result.body.slice(0, 300)}`).toContain(check.result.status);
      expectNoPbxHeaders(check.result, `check ${i + 1}`);
      expect(check.result.headers.location, `check ${i + 1} has no Location`).toBeDefined();
      return check;
    },
    location,
    maxChecks,
    options.between,
  );
  const delivered = run.checks.flatMap((c) => (c.result.status === 200 ? idsOf(itemsOf(c.json), idField) : []));
  return { ...run, delivered };
}

/** Each of `want` exactly once in `got`, nothing else (both digits). */
export function expectExactlyOnce(got: readonly string[], want: readonly string[]): void {
  const repeated = got.filter((id, i) => got.indexOf(id) !== i);
  const missed = want.filter((id) => !got.includes(id));
  const extra = got.filter((id) => !want.includes(id));
  expect({ missed, repeated, extra }).toEqual({ missed: [], repeated: [], extra: [] });
}
