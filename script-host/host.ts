// ScriptHost: runs script.csx in one long-lived Mono process, as the platform runs custom code.
// Each execute() is one call of the connector; every Context.SendAsync the script makes is answered
// by the caller's backend function. Used by the script tests, the sandbox gateway and the benchmark.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { compileScriptHost, type CompileOptions } from './compile';
import type { FromHost, Headers, SendMessage, ToHost } from './protocol';

export interface ScriptRequest {
  operationId: string;
  method: string;
  /** The backend URL, as Context.Request.RequestUri. */
  url: string;
  headers?: Headers;
  body?: string | null;
  /** Context.OriginalRequestUri; omit or null to test its absence. */
  originalRequestUri?: string | null;
  correlationId?: string;
}

/** One request the script sent through Context.SendAsync. Header names are lower case. */
export interface OutboundRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string | null;
}

export interface BackendResponse {
  status: number;
  headers?: Headers;
  /** A string is sent as is; any other value as JSON (content-type application/json unless given). */
  body?: unknown;
}

/** Answers the script's SendAsync calls; throwing makes SendAsync throw HttpRequestException. */
export type Backend = (request: OutboundRequest, index: number) => BackendResponse | Promise<BackendResponse>;

export interface ScriptLog {
  level: string;
  message: string;
}

export interface ScriptResult {
  status: number;
  headers: Headers;
  body: string;
  logs: ScriptLog[];
  outbound: OutboundRequest[];
  /** Time inside the host for this execution, backend waits excluded. */
  hostMs: number;
  backendMs: number;
  /** Wall time from execute() to the answer, cold start included (ms). */
  wallMs: number;
  /** The cold start this execution waited for (ms; 0 after the first). */
  coldStartMs: number;
}

export class ScriptExecutionError extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
    readonly logs: ScriptLog[],
    readonly outbound: OutboundRequest[],
    /** The execution had not answered within the time limit: the platform fails the call. */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'ScriptExecutionError';
  }
}

export interface ScriptHostOptions extends CompileOptions {
  monoPath?: string;
  /**
   * The platform's limit on custom code (wall time, ms; default 5000): the script's CancellationToken fires
   * then and execute() rejects (timedOut), whatever the script answers afterwards. 0 = no limit.
   */
  timeLimitMs?: number;
  /** Delay before the first execution after start() (a cold start), counted in its time limit. */
  coldStartMs?: number;
  /**
   * Plays a platform whose Context.SendAsync ignores its CancellationToken (undocumented either way): a request
   * the script cancels keeps waiting for the backend, so only the script's own deadline can end the wait.
   */
  sendIgnoresToken?: boolean;
}

/** The platform's time limit on one execution of custom code. */
export const PLATFORM_TIME_LIMIT_MS = 5000;

export interface ExecuteOptions {
  /** Aborting cancels the script's CancellationToken. */
  signal?: AbortSignal;
}

interface Pending {
  backend: Backend;
  logs: ScriptLog[];
  outbound: OutboundRequest[];
  resolve: (result: ScriptResult) => void;
  reject: (error: Error) => void;
  detachAbort: () => void;
}

export class ScriptHost {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private stderrTail = '';
  private exited: Promise<void> = Promise.resolve();
  private starting: Promise<void> | undefined;
  private coldStartPending = false;

  constructor(private readonly options: ScriptHostOptions = {}) {}

  /** Compiles (cached) and starts the runner; resolves once it is ready. Concurrent calls share one start. */
  start(): Promise<void> {
    if (this.starting) return this.starting;
    if (this.child) return Promise.resolve();
    this.coldStartPending = (this.options.coldStartMs ?? 0) > 0;
    this.starting = this.launch().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async launch(): Promise<void> {
    const { exePath, scriptPath } = await compileScriptHost(this.options);
    const child = spawn(this.options.monoPath ?? 'mono', [exePath, scriptPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.child = undefined;
        this.failAll(`script host exited (code ${code ?? 'none'}, signal ${signal ?? 'none'}). ${this.stderrTail}`);
        resolve();
      });
    });
    const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      child.once('error', onError);
      child.once('exit', () => reject(new Error(`script host exited before it was ready: ${this.stderrTail}`)));
      lines.on('line', (line) => {
        const message = JSON.parse(line) as FromHost;
        if (message.type === 'ready') {
          child.off('error', onError);
          resolve();
          return;
        }
        this.onMessage(message);
      });
    });
  }

  /**
   * Runs the script once. Rejects with ScriptExecutionError when the script throws, is cancelled, or has not
   * answered within the time limit (cold start included), as the platform fails such a call.
   */
  execute(request: ScriptRequest, backend: Backend, options: ExecuteOptions = {}): Promise<ScriptResult> {
    const child = this.child;
    if (!child) return Promise.reject(new Error('ScriptHost.start() has not completed'));
    const id = `e${this.nextId++}`;
    const started = performance.now();
    const coldStartMs = this.coldStartPending ? (this.options.coldStartMs ?? 0) : 0;
    this.coldStartPending = false;
    const limitMs = this.options.timeLimitMs ?? PLATFORM_TIME_LIMIT_MS;
    return new Promise<ScriptResult>((resolve, reject) => {
      const onAbort = () => this.send({ type: 'cancel', id });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let limitTimer: NodeJS.Timeout | undefined;
      let coldTimer: NodeJS.Timeout | undefined;
      const pending: Pending = {
        backend,
        logs: [],
        outbound: [],
        resolve: (result) => resolve({ ...result, wallMs: performance.now() - started, coldStartMs }),
        reject,
        detachAbort: () => {
          options.signal?.removeEventListener('abort', onAbort);
          clearTimeout(limitTimer);
          clearTimeout(coldTimer);
        },
      };
      this.pending.set(id, pending);
      if (limitMs > 0) {
        limitTimer = setTimeout(() => {
          // The platform's token fires and the call fails; a late answer is dropped.
          this.send({ type: 'cancel', id });
          this.finish(id, pending);
          reject(new ScriptExecutionError(`script did not answer within ${limitMs} ms (cold start ${coldStartMs} ms)`, true, pending.logs, pending.outbound, true));
        }, limitMs);
      }
      const go = () =>
        this.send({
          type: 'execute',
          id,
          operationId: request.operationId,
          correlationId: request.correlationId,
          method: request.method,
          url: request.url,
          headers: request.headers ?? {},
          body: request.body ?? null,
          originalRequestUri: request.originalRequestUri ?? null,
          cancelled: options.signal?.aborted === true,
          sendIgnoresToken: this.options.sendIgnoresToken === true,
        });
      if (coldStartMs > 0) coldTimer = setTimeout(go, coldStartMs);
      else go();
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }

  private send(message: ToHost): void {
    this.child?.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private onMessage(message: FromHost): void {
    if (message.type === 'ready') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'log':
        pending.logs.push({ level: message.level, message: message.message });
        break;
      case 'send':
        void this.answer(message, pending);
        break;
      case 'result':
        this.finish(message.id, pending);
        pending.resolve({
          status: message.status,
          headers: message.headers,
          body: message.body,
          logs: pending.logs,
          outbound: pending.outbound,
          hostMs: message.hostMs,
          backendMs: message.backendMs,
          wallMs: 0,
          coldStartMs: 0,
        });
        break;
      case 'failed':
        this.finish(message.id, pending);
        pending.reject(new ScriptExecutionError(message.cancelled ? `script cancelled: ${message.error}` : `script threw ${message.stack}`, message.cancelled, pending.logs, pending.outbound));
        break;
    }
  }

  private async answer(message: SendMessage, pending: Pending): Promise<void> {
    const outbound: OutboundRequest = { method: message.method, url: message.url, headers: message.headers, body: message.body };
    pending.outbound.push(outbound);
    try {
      const response = await pending.backend(outbound, pending.outbound.length - 1);
      const headers: Headers = { ...(response.headers ?? {}) };
      let body: string | null = null;
      if (typeof response.body === 'string') body = response.body;
      else if (response.body !== undefined) {
        body = JSON.stringify(response.body);
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      }
      this.send({ type: 'reply', id: message.id, seq: message.seq, status: response.status, headers, body });
    } catch (error) {
      this.send({ type: 'reply', id: message.id, seq: message.seq, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private finish(id: string, pending: Pending): void {
    this.pending.delete(id);
    pending.detachAbort();
  }

  private failAll(reason: string): void {
    for (const [id, pending] of this.pending) {
      this.finish(id, pending);
      pending.reject(new ScriptExecutionError(reason, false, pending.logs, pending.outbound));
    }
  }
}
