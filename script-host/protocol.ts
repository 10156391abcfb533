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
}

/** TS -> host: the backend's answer to one SendAsync (or a transport error, thrown as HttpRequestException). */
export interface ReplyMessage {
  type: 'reply';
  id: string;
  seq: number;
  status?: number;
  headers?: Headers;
  body?: string | null;
  error?: string;
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
  body: string;
  hostMs: number;
  backendMs: number;
}

export interface FailedMessage {
  type: 'failed';
  id: string;
  cancelled: boolean;
  error: string;
  stack: string;
}

export type FromHost = ReadyMessage | SendMessage | LogMessage | ResultMessage | FailedMessage;
