// Every brand's generated script.csx compiles and runs under Mono, and speaks with its own brand's texts.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandLayout, brands } from '../../connector/brand';
import { mobiliStotele } from '../../connector/brand/mobili-stotele';
import { ScriptHost } from '../../script-host/host';
import { foreignTexts } from '../brand-identity';
import { errorEnvelope, get, run } from './helpers';

const root = resolve(__dirname, '../..');
const host = new ScriptHost({ scriptPath: join(root, brandLayout(mobiliStotele).dir, 'script.csx') });
beforeAll(() => host.start());
afterAll(() => host.stop());

const CALLBACK = 'https://prod-00.westeurope.logic.azure.com/workflows/brand-test/triggers/manual/paths/invoke';

describe('the Mobili Stotele script (brands/mobili-stotele/script.csx)', () => {
  const others = brands.filter((b) => b !== mobiliStotele).flatMap((b) => foreignTexts(b, mobiliStotele));

  it('tells a flow author to fix the key in the Mobili Stotele portal, naming no other brand', async () => {
    const result = await run(host, { operationId: 'GetContactsByID', path: '/contacts/12' }, [get('/contacts/12', {}, 401, errorEnvelope(401, 'Unauthenticated.'))]);
    const message = String(result.json?.message);
    expect(result.status).toBe(401);
    expect(message).toContain('paste the API key from the Mobili Stotele admin portal');
    for (const text of others) expect(message.toLowerCase()).not.toContain(text);
  });

  it('names Mobili Stotele triggers and portal when the 20 webhooks are used up', async () => {
    const step = {
      request: { method: 'POST', path: '/api/v2/webhooks/CallStarted', query: {}, headers: { authorization: 'Bearer <redacted>' }, body: { endpoint: CALLBACK } },
      response: { status: 422, headers: { 'content-type': 'application/json' }, body: errorEnvelope(422, 'Webhook limit reached (max 20)') },
    };
    const result = await run(host, { operationId: 'CallStarted', method: 'POST', path: '/webhooks/CallStarted', body: { endpoint: CALLBACK } }, [step]);
    const message = String(result.json?.message);
    expect(message).toContain('flows with Mobili Stotele triggers');
    expect(message).toContain('remove them in the Mobili Stotele admin portal');
    for (const text of others) expect(message.toLowerCase()).not.toContain(text);
  });
});
