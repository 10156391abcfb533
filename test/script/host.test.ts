// The Mono test host itself: compiles script.csx unchanged, stays up, runs executions concurrently,
// cancels, and reports what the script throws.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileScriptHost, ScriptCompileError } from '../../script-host/compile';
import { ScriptExecutionError, ScriptHost } from '../../script-host/host';
import { calls, envelope, KEY, scriptRequest, useScriptHost } from './helpers';

const host = useScriptHost();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'script-host-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('compilation', () => {
  it('compiles script.csx as C# 7 without warnings, and reuses the cached build', async () => {
    const first = await compileScriptHost();
    expect(first.scriptWarnings).toEqual([]);
    const again = await compileScriptHost();
    expect(again.compiled).toBe(false);
    expect(again.scriptPath).toBe(first.scriptPath);
  });

  it('a change to the script is a new build', async () => {
    const original = fs.readFileSync(path.resolve(__dirname, '../../script.csx'), 'utf8');
    const changed = path.join(scratch, 'changed.csx');
    fs.writeFileSync(changed, `${original}\n// changed ${Date.now()} ${Math.random()}\n`);
    const build = await compileScriptHost({ scriptPath: changed });
    expect(build.compiled).toBe(true);
    expect(build.scriptPath).not.toBe((await compileScriptHost()).scriptPath);
  });

  it('a compile error names the file and line; the script cannot set what the platform sets', async () => {
    const broken = path.join(scratch, 'broken.csx');
    fs.writeFileSync(
      broken,
      'public class Script : ScriptBase {\n  public override System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> ExecuteAsync() { return nope; }\n  private void Peek() { Context = null; }\n}\n',
    );
    const error = await compileScriptHost({ scriptPath: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptCompileError);
    expect((error as Error).message).toMatch(/broken\.csx\(2,\d+\): error CS0103/);
    expect((error as Error).message).toMatch(/broken\.csx\(3,\d+\): error CS0272/); // Context's setter belongs to the host
  });
});

describe('executions', () => {
  it('runs many executions at once, each answered by its own backend in any order', async () => {
    const waiting: Array<() => void> = [];
    const runs = Array.from({ length: 12 }, (_, i) =>
      host().execute(scriptRequest({ operationId: 'GetContactsByID', path: `/contacts/${i + 1}` }), (request) =>
        new Promise((resolve) => {
          waiting.push(() => resolve({ status: 200, body: envelope({ contactID: Number(new URL(request.url).pathname.split('/').pop()) }) }));
          if (waiting.length === 12) waiting.reverse().forEach((answer) => answer());
        }),
      ),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => (JSON.parse(r.body) as { data: { contactID: number } }).data.contactID)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('reports the time spent inside the host apart from the backend wait', async () => {
    const result = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { status: 200, body: envelope({}) };
    });
    expect(result.hostMs).toBeGreaterThan(0);
    expect(result.backendMs).toBeGreaterThan(0);
  });

  it('cancellation while the PBX is answering: the script answers 504 with the error envelope and asks for nothing more', async () => {
    const controller = new AbortController();
    const result = await host().execute(
      scriptRequest({ operationId: 'GetCallHistory', path: '/trigger/call_history', query: { initial_call_id: '0', limit: '2', poll_v: '1' } }),
      () => {
        controller.abort(); // the platform gives up while page 1 is on its way
        return { status: 200, body: envelope(calls([2, 1])) }; // a full page: page 2 would follow
      },
      { signal: controller.signal },
    );
    expect(result.status).toBe(504);
    expect(JSON.parse(result.body)).toMatchObject({ version: '2', status: 'error', statusCode: 504 });
    expect(JSON.parse(result.body).message).toMatch(/cancelled before the PBX answered/);
    expect(result.outbound).toHaveLength(1);
  });

  it('cancellation before the first request sends nothing; the host keeps serving', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }), { signal: controller.signal });
    expect(cancelled.status).toBe(504);
    expect(cancelled.outbound).toEqual([]);
    const next = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
    expect(next.status).toBe(200);
  });

  it('survives a request it cannot represent (a URL over System.Uri\'s 65,519 characters): that execution fails, the next one runs', async () => {
    const long = scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1', query: { filler: 'x'.repeat(70_000) } });
    const error = await host().execute(long, () => ({ status: 200, body: envelope({}) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptExecutionError);
    expect((error as Error).message).toMatch(/could not start this execution: System\.UriFormatException/);
    const next = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({ contactID: 1 }) }));
    expect(next.status).toBe(200);
  });

  it('an execution that has not answered within the time limit fails, as on the platform, and its token fires', async () => {
    const limited = new ScriptHost({ timeLimitMs: 1500 });
    await limited.start();
    try {
      // The script waits for the PBX up to its own budget (3.5 s), longer than this limit: the limit ends it.
      const error = await limited
        .execute(scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001', contactID: 1 } }), () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: envelope({}) }), 6000)))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScriptExecutionError);
      expect((error as ScriptExecutionError).timedOut).toBe(true);
      expect((error as Error).message).toMatch(/did not answer within 1500 ms/);
      // The host keeps serving after a timed-out execution.
      const next = await limited.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
      expect(next.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('a cold start delays the first execution only and counts toward its time limit', async () => {
    const cold = new ScriptHost({ coldStartMs: 250, timeLimitMs: 5000 });
    await cold.start();
    try {
      const first = await cold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
      expect(first.coldStartMs).toBe(250);
      expect(first.wallMs).toBeGreaterThanOrEqual(250);
      const second = await cold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
      expect(second.coldStartMs).toBe(0);
      expect(second.wallMs).toBeLessThan(250);
    } finally {
      await cold.stop();
    }
    const tooCold = new ScriptHost({ coldStartMs: 400, timeLimitMs: 300 });
    await tooCold.start();
    try {
      const error = await tooCold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) })).catch((e: unknown) => e);
      expect((error as ScriptExecutionError).timedOut).toBe(true);
    } finally {
      await tooCold.stop();
    }
  });

  it('an exception in the script rejects with its type and message', async () => {
    const throwing = path.join(scratch, 'throwing.csx');
    fs.writeFileSync(throwing, 'public class Script : ScriptBase {\n  public override System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> ExecuteAsync() { throw new System.InvalidOperationException("boom " + Context.OperationId); }\n}\n');
    const other = new ScriptHost({ scriptPath: throwing });
    await other.start();
    try {
      const error = await other.execute(scriptRequest({ operationId: 'Dial', path: '/dial' }), () => ({ status: 200 })).catch((e: unknown) => e);
      expect((error as ScriptExecutionError).cancelled).toBe(false);
      expect((error as Error).message).toMatch(/System\.InvalidOperationException: boom Dial/);
    } finally {
      await other.stop();
    }
  });

  it('hands the script the request as the platform does: headers, body and OriginalRequestUri', async () => {
    const echo = path.join(scratch, 'echo.csx');
    fs.writeFileSync(
      echo,
      [
        'using System.Linq; using System.Net.Http; using System.Threading.Tasks; using Microsoft.Extensions.Logging;',
        'public class Script : ScriptBase {',
        '  public override async Task<HttpResponseMessage> ExecuteAsync() {',
        '    Context.Logger.LogInformation("op {Op} corr {Corr}", Context.OperationId, Context.CorrelationId);',
        '    string body = await Context.Request.Content.ReadAsStringAsync();',
        '    string auth = string.Join(",", Context.Request.Headers.GetValues("Authorization"));',
        '    var r = new HttpResponseMessage(System.Net.HttpStatusCode.OK);',
        '    r.Content = CreateJsonContent(Newtonsoft.Json.JsonConvert.SerializeObject(new { body, auth, uri = Context.OriginalRequestUri.ToString(), method = Context.Request.Method.Method, url = Context.Request.RequestUri.ToString() }));',
        '    return r;',
        '  }',
        '}',
      ].join('\n'),
    );
    const other = new ScriptHost({ scriptPath: echo });
    await other.start();
    try {
      const result = await other.execute({ ...scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000002' } }), correlationId: 'corr-1' }, () => ({ status: 200 }));
      expect(JSON.parse(result.body)).toEqual({
        body: '{"destination":"+3710000002"}',
        auth: `Bearer ${KEY}`,
        uri: expect.stringMatching(/\/dial$/),
        method: 'POST',
        url: 'https://zvanuparvaldnieks.lmt.lv/api/v2/dial',
      });
      expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(result.logs).toEqual([{ level: 'Information', message: 'op Dial corr corr-1' }]);
    } finally {
      await other.stop();
    }
  });
});

describe('lifecycle', () => {
  it('concurrent start() calls both resolve to a working host; after stop() executions are refused', async () => {
    const other = new ScriptHost();
    await Promise.all([other.start(), other.start()]);
    const result = await other.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
    expect(result.status).toBe(200);
    await other.stop();
    await expect(other.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200 }))).rejects.toThrow(/start\(\) has not completed/);
  });
});
