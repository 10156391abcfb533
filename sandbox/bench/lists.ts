/**
 * Reading a whole list through a list action, on a PBX with a latency per request (wall time, ±20 %
 * jitter) and a silent cap of 100 items per page: ListCalls, Page Size 100, following nextLink while a
 * call arrives after every third PBX request (between pages, and between two reads of one page).
 * Figures: calls of the first page's snapshot missed or read twice, pages answered with an error,
 * and the slowest script execution. The production 1.0 has no list action: its figures are null.
 */
import { parseJson } from '../../lib/json';
import type { ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import { send } from '../http';
import { Sandbox, type SandboxOptions } from '../sandbox';
import { benchPbx, PAGE_CAP } from './drain';

export interface ListPagingResult {
  listed: number;
  missed: number;
  duplicated: number;
  pages: number;
  /** Pages the connector answered with an error (the same link is tried again, up to 3 times). */
  failedPages: number;
  maxScriptMs: number | null;
}

/** `pbx`: the PBX as a profile has it (sandbox/pbx/profiles.ts) instead of `latencyMs` ±20 % and a cap of 100. */
export async function measureListPaging(connector: SandboxConnector, scriptHost: ScriptHost | undefined, latencyMs: number, calls = 1000, pbx?: SandboxOptions['pbx']): Promise<ListPagingResult | null> {
  if (!connector.contract.operation('ListCalls')) return null;
  const sb = await Sandbox.start({ connector, scriptHost, pbx: pbx ?? benchPbx(latencyMs) });
  try {
    sb.addAnsweredCalls(calls - sb.store.view('calls').length, 100);
    // Ids as the PBX writes them (digits: a profile may write ids beyond 2^53).
    const snapshot = sb.store.view('calls').map((c) => sb.pbx.api.publicId(c.callID));
    let requests = 0;
    sb.pbx.api.onRequest(({ route }) => {
      if (route.startsWith('list:') && ++requests % 3 === 0) sb.addAnsweredCalls(1);
    });
    const seen: string[] = [];
    let pages = 0;
    let failedPages = 0;
    let url: string | undefined = `${sb.connection.url}${connector.buildCall('ListCalls', { limit: PAGE_CAP }).path}`;
    for (let tries = 0; url && pages < 100; ) {
      const res = await send({ method: 'GET', url });
      if (res.status !== 200) {
        failedPages++;
        if (++tries >= 3) break;
        continue;
      }
      tries = 0;
      pages++;
      // Ids as digits, whole (a profile may write ids beyond 2^53).
      const parsed = parseJson(res.body, { exactIntegers: true });
      const page = (parsed.ok ? parsed.value : {}) as { value?: Array<{ callID: number | string }>; nextLink?: string };
      seen.push(...(page.value ?? []).map((c) => String(c.callID)));
      url = page.nextLink;
    }
    const unique = new Set(seen);
    const wall = sb.gateway.stats.scriptWallMs;
    return {
      listed: snapshot.length,
      missed: snapshot.filter((id) => !unique.has(id)).length,
      duplicated: seen.length - unique.size,
      pages,
      failedPages,
      maxScriptMs: scriptHost && wall.length > 0 ? Math.round(Math.max(...wall)) : null,
    };
  } finally {
    await sb.stop();
  }
}
