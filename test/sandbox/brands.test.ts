// Each brand runs in the sandbox from its own folder: the gateway addresses the PBX by the brand's host,
// the mock PBX stands in for that host only, and the connector's URL space carries the brand's name.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { brandLayout } from '../../connector/brand';
import { mobiliStotele } from '../../connector/brand/mobili-stotele';
import { zvanuParvaldnieks } from '../../connector/brand/zvanu-parvaldnieks';
import { brandFlow } from '../../connector/package/solution';
import { SandboxConnector } from '../../sandbox/connector';
import { runSampleDay } from '../../sandbox/sample';
import { defaultBindings } from '../../sandbox/workflow/host';
import { send } from '../../sandbox/http';
import { startPbxServer } from '../../sandbox/pbx';
import { ROOT, useSandboxes } from './helpers';

const start = useSandboxes();
const brandConnector = (dir: string) => SandboxConnector.fromFolder(path.join(ROOT, dir), 'brand', { withScript: false });

describe('brands in the sandbox', () => {
  it('the mock PBX answers requests addressed to its brand’s host and refuses another brand’s with 421', async () => {
    const pbx = await startPbxServer({ apiKey: 'k', publicHost: mobiliStotele.host });
    try {
      const get = (host?: string) => send({ method: 'GET', url: `${pbx.baseUrl}contacts/1`, headers: { authorization: 'Bearer k', ...(host ? { host } : {}) } });
      expect((await get(mobiliStotele.host)).status).toBe(200);
      expect((await get()).status).toBe(200); // the local address itself (curl against --serve)
      const refused = await get(zvanuParvaldnieks.host);
      expect(refused.status).toBe(421);
      expect(JSON.parse(refused.body).message).toBe(`This mock PBX stands in for ${mobiliStotele.host}; the request was addressed to ${zvanuParvaldnieks.host}.`);
    } finally {
      await pbx.stop();
    }
  });

  it('runs Mobili Stotele from brands/mobili-stotele/: its host reaches the PBX, its name is in the connection URL', async () => {
    const sb = await start({ connector: brandConnector(brandLayout(mobiliStotele).dir), pbxHost: mobiliStotele.host });
    expect(sb.pbx.publicHost).toBe(mobiliStotele.host);
    expect(sb.connection.url).toMatch(/\/apim\/mobili-stotele\/[^/]+$/);
    const answer = await send({ method: 'GET', url: `${sb.connection.url}/contacts/1` });
    expect(answer.status).toBe(200);
  });

  it('a connector whose definition names another brand’s host does not reach the brand’s PBX', async () => {
    const sb = await start({ connector: brandConnector(brandLayout(zvanuParvaldnieks).dir), pbxHost: mobiliStotele.host });
    const answer = await send({ method: 'GET', url: `${sb.connection.url}/contacts/1` });
    expect(answer.status).toBe(421);
  });

  it('plays a day of the shipped answered-call flow, rebranded as its solution ships it, through Mobili Stotele', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'brand-day-'));
    try {
      const file = 'call-answered-to-excel.json';
      const { doc } = brandFlow({ file, text: fs.readFileSync(path.join(ROOT, 'flows/power-automate', file), 'utf8') }, mobiliStotele);
      const flowFile = path.join(out, file);
      fs.writeFileSync(flowFile, JSON.stringify(doc));
      const summary = await runSampleDay({
        connector: brandConnector(brandLayout(mobiliStotele).dir),
        pbxHost: mobiliStotele.host,
        flowFiles: [flowFile],
        bindings: defaultBindings(out),
        apiName: mobiliStotele.apiName,
        market: mobiliStotele.market,
        callsPerDay: 30,
        durationMs: 6 * 3_600_000,
        keep: true,
      });
      expect(summary.answered).toBeGreaterThan(0);
      expect(summary.failedRuns).toBe(0);
      expect(summary.produced.find((p) => p.label === 'rows')?.count).toBe(summary.answered);
      // Its own market's (fake) numbers, never the other brand's: the seed, the callers, the calls played.
      const sb = summary.sandbox!;
      const numbers = [
        ...sb.store.all('contacts').flatMap((c) => [c.number, c.current_callerid]),
        ...sb.store.all('calls').flatMap((c) => [c.caller, c.destination]),
        ...sb.store.all('lostCalls').map((l) => l.callerid),
      ];
      expect(numbers.length).toBeGreaterThan(50);
      expect(numbers.filter((n) => !n.startsWith(`${mobiliStotele.market.callingCode}0`))).toEqual([]);
      await summary.stop!();
      await sb.stop();
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
