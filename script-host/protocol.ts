// JSON-lines protocol between ScriptHost (TypeScript) and the Mono runner (csharp/Runner.cs).
// One JSON object per line; every message after "ready" carries the execution id.

export type Headers = Record<string, string>;

/** TS -> host: run script.csx once, as the platform would for one call of the connector. */
export interface ExecuteMessage {
  type: 'execute';
  id: string;
  operationId: string;
  correlationId?: string;
  method: string;
  /** Context.Request.RequestUri: already pointed at the backend (the PBX). */
  url: string;
  headers: Headers;
  body: string | null;
  /** Context.OriginalRequestUri: the URL the platform called on the connector; null when absent. */
  originalRequestUri: string | null;
  /** The CancellationToken starts cancelled (the caller gave up before the script ran). */
  cancelled?: boolean;
  /** Context.SendAsync ignores its CancellationToken (whether the platform's honours it is undocumented). */
  sendIgnoresToken?: boolean;
  /**
   * Run in virtual time (csharp/VirtualTime.cs): the platform's limit in that time, counted from the
   * script's start (0 = none), and the real time after which a request still on its way when the script's
   * token fired (sendIgnoresToken) plays the rest of its latency (ms). Absent: wall time.
   */
  virtualTime?: { limitMs: number; idleMs: number };
}

/** TS -> host: the backend's answer to one SendAsync (or a transport error, thrown as HttpRequestException). */
export interface ReplyMessage {
  type: 'reply';
  id: string;
  seq: number;
  status?: number;
  headers?: Headers;
  body?: string | null;
  /** A body that is bytes (not text: lib/media-type.ts), base64; `body` is then absent. */
  bodyBase64?: string;
  error?: string;
  /** In virtual time: how long the answer took (the execution's clock advances by it). */
  latencyMs?: number;
}

/** TS -> host: cancel the execution's CancellationToken. */
export interface CancelMessage {
  type: 'cancel';
  id: string;
}

export type ToHost = ExecuteMessage | ReplyMessage | CancelMessage;

export interface ReadyMessage {
  type: 'ready';
}

/** host -> TS: the script called Context.SendAsync. Header names are lower case. */
export interface SendMessage {
  type: 'send';
  id: string;
  seq: number;
  method: string;
  url: string;
  headers: Headers;
  body: string | null;
}

export interface LogMessage {
  type: 'log';
  id: string;
  level: string;
  message: string;
}

/** host -> TS: the script's final response. hostMs excludes the time spent waiting for the backend. */
export interface ResultMessage {
  type: 'result';
  id: string;
  status: number;
  headers: Headers;
  /** The body as text; empty when it is bytes (a content type that is not text), which come in `bodyBase64`. */
  body: string;
  bodyBase64?: string;
  hostMs: number;
  backendMs: number;
  /** In virtual time: the execution's clock when it answered (ms since the script started). */
  virtualMs?: number;
}

export interface FailedMessage {
  type: 'failed';
  id: string;
  cancelled: boolean;
  error: string;
  stack: string;
  virtualMs?: number | null;
}

export type FromHost = ReadyMessage | SendMessage | LogMessage | ResultMessage | FailedMessage;
