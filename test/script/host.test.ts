// The Mono test host itself: compiles script.csx unchanged, stays up, runs executions concurrently,
// cancels, and reports what the script throws.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileScriptHost, ScriptCompileError } from '../../script-host/compile';
import { PLATFORM_TIME_LIMIT_MS, ScriptExecutionError, ScriptHost, type ScriptResult } from '../../script-host/host';
import { calls, envelope, KEY, scriptRequest, useScriptHost } from './helpers';
import { isTextualMediaType } from '../../lib/media-type';

const host = useScriptHost();
const dial = () => scriptRequest({ operationId: 'Dial', method: 'POST', path: '/dial', body: { destination: '+3710000001', contactID: 1 } });
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

describe('virtual time at compile time', () => {
  it('refuses a wait of its own length (Task.Delay(ms), Thread.Sleep), which the virtual clock could not move; a wait a token ends is fine', async () => {
    const waits = path.join(scratch, 'waits.csx');
    fs.writeFileSync(
      waits,
      [
        'using System.Net.Http; using System.Threading; using System.Threading.Tasks;',
        'public class Script : ScriptBase {',
        '  public override async Task<HttpResponseMessage> ExecuteAsync() {',
        '    await Task.Delay(Timeout.Infinite, CancellationToken).ContinueWith(t => 0);',
        '    await Task.Delay(250);',
        '    Thread.Sleep(10); // Task.Delay(5) in a comment is not a wait',
        '    return new HttpResponseMessage(System.Net.HttpStatusCode.OK);',
        '  }',
        '}',
      ].join('\n'),
    );
    const error = await compileScriptHost({ scriptPath: waits, clock: 'virtual' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptCompileError);
    const lines = (error as ScriptCompileError).output.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^waits\.csx\(5\): Task\.Delay\(250\) waits in real time/);
    expect(lines[1]).toMatch(/^waits\.csx\(6\): Thread\.Sleep\(10\) waits in real time/);
    // In wall time the same script is fine.
    expect((await compileScriptHost({ scriptPath: waits })).scriptWarnings).toEqual([]);
  });
});

describe('bodies that are bytes', () => {
  // Echoes the backend's body and content type: what reaches the script and what leaves it, byte for byte.
  const echo = `public class Script : ScriptBase
{
    public override async System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> ExecuteAsync()
    {
        var r = await Context.SendAsync(Context.Request, CancellationToken);
        var answer = new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new System.Net.Http.ByteArrayContent(await r.Content.ReadAsByteArrayAsync()) };
        answer.Content.Headers.ContentType = r.Content.Headers.ContentType;
        return answer;
    }
}
`;
  const types = ['audio/wav', 'audio/mpeg', 'application/octet-stream', 'image/png', 'application/json', 'application/problem+json', 'application/xml', 'text/html; charset=utf-8', 'text/plain'];

  it('travel both ways exactly when lib/media-type.ts says they are not text; the Mono side applies the same rule', async () => {
    const file = path.join(scratch, 'echo.csx');
    fs.writeFileSync(file, echo);
    const echoHost = new ScriptHost({ scriptPath: file });
    await echoHost.start();
    try {
      // Not UTF-8: such bytes survive only when carried as bytes.
      const bytes = Buffer.from([0x52, 0x49, 0x46, 0x46, 0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x7f]);
      for (const type of types) {
        const result = await echoHost.execute(scriptRequest({ operationId: 'Echo', path: '/echo' }), () => ({ status: 200, headers: { 'content-type': type }, body: bytes }));
        expect(result.headers['content-type'], type).toBe(type);
        expect(result.bodyBytes.equals(bytes), type).toBe(!isTextualMediaType(type));
      }
    } finally {
      await echoHost.stop();
    }
  });

  it('text stays text: a JSON body arrives as the same characters', async () => {
    const result = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/3' }), () => ({ status: 200, body: envelope({ contactID: 3, firstname: 'Līga' }) }));
    expect(JSON.parse(result.body)).toMatchObject({ data: { contactID: 3, firstname: 'Līga' } });
    expect(result.bodyBytes.toString('utf8')).toBe(result.body);
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

  it('reports the time spent inside the host apart from the backend wait (virtual time: the declared latency)', async () => {
    const result = await host().execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}), latencyMs: 40 }));
    expect(result.hostMs).toBeGreaterThan(0);
    expect(result.backendMs).toBe(40);
    expect(result.wallMs).toBe(40);
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

  it('an execution that has not answered within the platform\'s 5 s limit fails, as on the platform, and its token fires', async () => {
    // The script cuts every PBX request at its own deadline (3.15 s): a 2 s cold start is what takes an execution
    // past 5 s. The limit then falls 3 s into the script, while the PBX is still answering (3.1 s).
    const read = scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' });
    const answer = (latencyMs: number) => () => ({ status: 200, body: envelope({}), latencyMs });
    const late = new ScriptHost({ coldStartMs: 2000, clock: 'virtual' });
    await late.start();
    try {
      const error = await late.execute(read, answer(3100)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScriptExecutionError);
      expect((error as ScriptExecutionError).timedOut).toBe(true);
      expect((error as Error).message).toMatch(/did not answer within 5000 ms \(cold start 2000 ms\)/);
      expect((error as ScriptExecutionError).logs.map((l) => l.message)).toContain(`GetContactsByID: cancelled by the platform after ${PLATFORM_TIME_LIMIT_MS - 2000} ms.`);
      // Without the cold start the same answer is within the limit; the host keeps serving.
      const next = await late.execute(read, answer(3100));
      expect(next.status).toBe(200);
      expect(next.wallMs).toBe(3100);
    } finally {
      await late.stop();
    }
    // Just within the limit, the answer stands.
    const inTime = new ScriptHost({ coldStartMs: 2000, clock: 'virtual' });
    await inTime.start();
    try {
      const within = await inTime.execute(read, answer(PLATFORM_TIME_LIMIT_MS - 2000 - 1));
      expect(within.status).toBe(200);
      expect(within.wallMs).toBe(PLATFORM_TIME_LIMIT_MS - 1);
    } finally {
      await inTime.stop();
    }
  });

  it('a cold start delays the first execution only and counts toward its time limit (virtual time)', async () => {
    const cold = new ScriptHost({ coldStartMs: 2000, clock: 'virtual' });
    await cold.start();
    try {
      const answer = (latencyMs: number) => () => ({ status: 200, body: envelope({}), latencyMs });
      const first = await cold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), answer(100));
      expect(first.coldStartMs).toBe(2000);
      expect(first.wallMs).toBe(2100);
      const second = await cold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), answer(100));
      expect(second.coldStartMs).toBe(0);
      expect(second.wallMs).toBe(100);
    } finally {
      await cold.stop();
    }
    const tooCold = new ScriptHost({ coldStartMs: 400, timeLimitMs: 300, clock: 'virtual' });
    await tooCold.start();
    try {
      const error = await tooCold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) })).catch((e: unknown) => e);
      expect((error as ScriptExecutionError).timedOut).toBe(true);
      expect(error as ScriptExecutionError).toMatchObject({ outbound: [] });
    } finally {
      await tooCold.stop();
    }
  });
});

describe('a SendAsync that ignores its token, in virtual time', () => {
  // Two small scripts with a deadline 1 s into the execution: one only passes its token to SendAsync, the other
  // also races the request against the deadline (as script.csx's SendToPbxAsync does). The PBX takes 8 s.
  const script = (race: boolean) => `using System.Net; using System.Net.Http; using System.Threading; using System.Threading.Tasks;
public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken))
        {
            deadline.CancelAfter(1000);
            try
            {
                Task<HttpResponseMessage> send = Context.SendAsync(Context.Request, deadline.Token);
                ${race ? 'if (await Task.WhenAny(send, Task.Delay(Timeout.Infinite, deadline.Token)) != send) return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);' : ''}
                return await send;
            }
            catch (System.OperationCanceledException)
            {
                return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
            }
        }
    }
}
`;
  const hostFor = (race: boolean, options: { sendIgnoresToken?: boolean; virtualIdleMs?: number } = {}) => {
    const file = path.join(scratch, `deadline-${race ? 'race' : 'wait'}.csx`);
    fs.writeFileSync(file, script(race));
    return new ScriptHost({ scriptPath: file, clock: 'virtual', ...options });
  };
  const slowPbx = () => ({ status: 200, body: envelope({}), latencyMs: 8000 });
  const run = async (h: ScriptHost) => {
    await h.start();
    try {
      return await h.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), slowPbx).catch((e: unknown) => e);
    } finally {
      await h.stop();
    }
  };

  it('a token honoured: the deadline ends the wait at 1 s', async () => {
    const result = (await run(hostFor(false))) as ScriptResult;
    expect(result.status).toBe(504);
    expect(result.wallMs).toBe(1000);
    expect(result.backendMs).toBe(1000);
  });

  it('a token ignored, the request raced against the deadline: the script moves on at 1 s', async () => {
    const result = (await run(hostFor(true, { sendIgnoresToken: true }))) as ScriptResult;
    expect(result.status).toBe(504);
    expect(result.wallMs).toBe(1000);
  });

  it('a token ignored and nothing else to wait for: the script waits for the PBX into the platform\'s limit', async () => {
    // The clock stops at 1 s; the script does not answer, so after virtualIdleMs of real time the rest of the 8 s plays.
    const error = await run(hostFor(false, { sendIgnoresToken: true, virtualIdleMs: 100 }));
    expect(error).toBeInstanceOf(ScriptExecutionError);
    expect((error as ScriptExecutionError).timedOut).toBe(true);
    expect((error as Error).message).toMatch(/did not answer within 5000 ms/);
  });
});

describe('wall time (the sandbox\'s and the bench\'s clock)', () => {
  it('waits a declared latency for real and reports it apart from the time inside the host', async () => {
    const wall = new ScriptHost();
    await wall.start();
    try {
      const result = await wall.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}), latencyMs: 30 }));
      expect(result.status).toBe(200);
      expect(result.hostMs).toBeGreaterThan(0);
      expect(result.backendMs).toBeGreaterThanOrEqual(25);
      expect(result.wallMs).toBeGreaterThanOrEqual(30);
    } finally {
      await wall.stop();
    }
  });

  it('an execution the backend never answers fails at the time limit; the host keeps serving', async () => {
    // A limit of 1 s against a backend that never answers: no race with the machine's speed.
    const limited = new ScriptHost({ timeLimitMs: 1000 });
    await limited.start();
    try {
      const error = await limited.execute(dial(), () => new Promise<never>(() => undefined)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScriptExecutionError);
      expect((error as ScriptExecutionError).timedOut).toBe(true);
      expect((error as Error).message).toMatch(/did not answer within 1000 ms/);
      const next = await limited.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
      expect(next.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('a cold start delays the first execution only', async () => {
    const cold = new ScriptHost({ coldStartMs: 250 });
    await cold.start();
    try {
      const first = await cold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
      expect(first.coldStartMs).toBe(250);
      expect(first.wallMs).toBeGreaterThanOrEqual(250);
      const second = await cold.execute(scriptRequest({ operationId: 'GetContactsByID', path: '/contacts/1' }), () => ({ status: 200, body: envelope({}) }));
      expect(second.coldStartMs).toBe(0);
    } finally {
      await cold.stop();
    }
  });
});

describe('failures', () => {
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
