/**
 * Polling figures.
 * - Burst: a GetCallHistory flow (page size 50) has polled once; then `pages` full pages of new
 *   calls arrive before the next poll. After a few more polls, missed = burst calls never
 *   delivered, duplicated = deliveries beyond one per call.
 * - Day: one day of ordinary traffic with a GetCallHistory flow at its defaults; PBX calls per
 *   delivered item.
 */
import type { ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import type { MemorySink } from '../runtime/sinks';
import { Sandbox } from '../sandbox';
import { generateDay } from '../traffic/stories';

const MINUTE = 60_000;

export interface BurstResult {
  burst: number;
  missed: number;
  duplicated: number;
  scriptHostMs: number[];
}

export async function measureBurst(connector: SandboxConnector, scriptHost: ScriptHost | undefined, pages = 10, pageSize = 50): Promise<BurstResult> {
  const sb = await Sandbox.start({ connector, scriptHost });
  try {
    const recurrenceMs = 3 * MINUTE;
    await sb.runtime.save({ id: 'burst', name: 'burst', trigger: { operationId: 'GetCallHistory', inputs: { limit: pageSize }, recurrenceMs }, sink: { kind: 'memory' } });
    await sb.clock.advanceBy(MINUTE); // the first poll: sets the state
    const burstIds = new Set(sb.addAnsweredCalls(pages * pageSize, 100));
    await sb.clock.advanceBy(5 * recurrenceMs);
    const delivered = (sb.runtime.flow('burst')!.sink as MemorySink).items.map((item) => item.callID as number);
    const unique = new Set(delivered);
    return {
      burst: burstIds.size,
      missed: [...burstIds].filter((id) => !unique.has(id)).length,
      duplicated: delivered.length - unique.size,
      scriptHostMs: sb.gateway.stats.scriptHostMs,
    };
  } finally {
    await sb.stop();
  }
}

export interface DayPollResult {
  pbxCalls: number;
  items: number;
  callsPerItem: number;
  callsInDay: number;
}

export async function measureDayOfPolling(connector: SandboxConnector, scriptHost: ScriptHost | undefined, seed = 7): Promise<DayPollResult> {
  const sb = await Sandbox.start({ connector, scriptHost });
  try {
    await sb.runtime.save({ id: 'day', name: 'day', trigger: { operationId: 'GetCallHistory' }, sink: { kind: 'memory' } });
    const employees = sb.store.all('contacts').filter((c) => c.archived === 0);
    const stories = generateDay({ seed, start: sb.clock.now(), employees });
    sb.player.schedule(stories);
    await sb.clock.advanceBy(24 * 60 * MINUTE + 30 * MINUTE);
    const items = sb.runtime.flow('day')!.runs;
    const pbxCalls = sb.pbxCallCount;
    return { pbxCalls, items, callsPerItem: items > 0 ? round(pbxCalls / items, 3) : pbxCalls, callsInDay: sb.player.stats.callsStarted };
  } finally {
    await sb.stop();
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
