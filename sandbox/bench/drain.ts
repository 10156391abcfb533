/**
 * Polling on a platform as strict as the real one: a PBX with a latency per request (real wall time,
 * ±20 % jitter) and a silent cap of 100 items per page, custom code limited to 5 s with a cold start,
 * the flow runtime polling by the protocol (state = last Location, Retry-After may shorten the interval).
 * - burst: a GetCallHistory flow at its defaults has checked once; then `burst` calls arrive. Checks
 *   follow (the recurrence, or at once on Retry-After: 0) until the burst is delivered or `maxChecks`.
 *   Figures: missed, duplicated, checks to drain, the slowest script execution (cold start apart).
 * - first check: a new flow on an account that already holds `existing` calls; PBX requests it makes.
 */
import { ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import type { MemorySink } from '../runtime/sinks';
import { Sandbox, type SandboxOptions } from '../sandbox';

const MINUTE = 60_000;
const RECURRENCE_MS = 3 * MINUTE;

/** The PBX the bench assumes (platform-facts: correct at 1 s per request and a cap of 100 per page). */
export const PAGE_CAP = 100;

/** The bench's PBX at a latency (docs/bench.md): ±20 % jitter on every request, pages silently capped at PAGE_CAP. */
export function benchPbx(latencyMs: number): NonNullable<SandboxOptions['pbx']> {
  return { latencyMs, latencyJitter: 0.2, pageCap: PAGE_CAP };
}

export interface DrainOptions {
  latencyMs: number;
  burst: number;
  /** Cold start of the script host before its first execution (ms). */
  coldStartMs: number;
  maxChecks: number;
  scriptPath?: string;
  /** The PBX as a profile has it (sandbox/pbx/profiles.ts) instead of `latencyMs` ±20 % and a cap of 100. */
  pbx?: SandboxOptions['pbx'];
  /** A started host to use (its cold start is behind it) instead of a fresh one. */
  scriptHost?: ScriptHost;
}

export interface DrainResult {
  burst: number;
  missed: number;
  duplicated: number;
  /** Checks from the first after the burst to the one that delivered its last item (null: never). */
  checksToDrain: number | null;
  /**
   * Slowest script execution, PBX waits included, cold start excluded (ms; null without a script); an
   * execution the platform's limit cut counts as the whole limit (5,000 ms).
   */
  maxScriptMs: number | null;
  coldStartMs: number | null;
  scriptTimeouts: number;
}

export async function measureDrain(connector: SandboxConnector, options: DrainOptions): Promise<DrainResult> {
  // A fresh host per run, so that each run has its cold start (unless one is given).
  const own = connector.hasScript && !options.scriptHost;
  const host = own ? new ScriptHost({ scriptPath: options.scriptPath ?? connector.scriptPath, coldStartMs: options.coldStartMs }) : connector.hasScript ? options.scriptHost : undefined;
  if (own) await host?.start();
  const checks: Array<{ runs: number }> = [];
  const sb = await Sandbox.start({
    connector,
    scriptHost: host,
    pbx: options.pbx ?? benchPbx(options.latencyMs),
    onPoll: ({ runs }) => checks.push({ runs }),
  });
  try {
    await sb.runtime.save({ id: 'burst', name: 'burst', trigger: { operationId: 'GetCallHistory', recurrenceMs: RECURRENCE_MS }, sink: { kind: 'memory' } });
    await sb.clock.advanceBy(MINUTE); // the first check: sets the state
    const firstChecks = checks.length;
    // Every check counts toward maxChecks, failed ones too (onPoll hears only the answered ones; a PBX
    // slower than the budget fails them all).
    const checksMade = () => sb.runtime.pollChecks('burst');
    const checksBefore = checksMade();
    // Ids as the PBX writes them (digits: a profile may write ids beyond 2^53, which the runtime keeps whole).
    const burstIds = new Set(sb.addAnsweredCalls(options.burst, 100).map((id) => sb.pbx.api.publicId(id)));
    const sink = sb.runtime.flow('burst')!.sink as MemorySink;
    const deliveredAll = () => new Set(sink.items.map((item) => String(item.callID))).size >= burstIds.size;
    let checksToDrain: number | null = null;
    while (checksMade() - checksBefore < options.maxChecks && !deliveredAll()) {
      await sb.clock.advanceBy(RECURRENCE_MS);
    }
    if (deliveredAll()) {
      // The check that delivered the last of the burst.
      let seen = 0;
      for (let i = firstChecks; i < checks.length; i++) {
        seen += checks[i].runs;
        if (seen >= burstIds.size) {
          checksToDrain = i - firstChecks + 1;
          break;
        }
      }
    }
    const delivered = sink.items.map((item) => String(item.callID));
    const unique = new Set(delivered);
    const stats = sb.gateway.stats;
    return {
      burst: burstIds.size,
      missed: [...burstIds].filter((id) => !unique.has(id)).length,
      duplicated: delivered.length - unique.size,
      checksToDrain,
      maxScriptMs: host ? Math.round(Math.max(0, ...stats.scriptWallMs)) : null,
      coldStartMs: host ? Math.max(0, ...stats.coldStartMs) : null,
      scriptTimeouts: stats.scriptTimeouts,
    };
  } finally {
    await sb.stop();
    if (own) await host?.stop();
  }
}

/** PBX requests of a new flow's first check on an account that holds `existing` more calls. */
export async function measureFirstCheck(connector: SandboxConnector, scriptHost: ScriptHost | undefined, existing = 5000): Promise<number> {
  const sb = await Sandbox.start({ connector, scriptHost, pbx: { pageCap: PAGE_CAP } });
  try {
    sb.addAnsweredCalls(existing, 100);
    const before = sb.pbxCallCount;
    await sb.runtime.save({ id: 'first', name: 'first', trigger: { operationId: 'GetCallHistory', recurrenceMs: RECURRENCE_MS }, sink: { kind: 'memory' } });
    await sb.clock.advanceBy(MINUTE);
    if (sb.runtime.pollChecks('first') !== 1) throw new Error(`expected one check, saw ${sb.runtime.pollChecks('first')}`);
    return sb.pbxCallCount - before;
  } finally {
    await sb.stop();
  }
}
