/**
 * The published response envelope `{version, status, statusCode, message, data}`. Errors use the
 * same envelope with `status: "error"` and `data: null` (assumed: the real error body is unknown).
 */
export const API_VERSION = '2';

export interface Envelope {
  version: string;
  status: 'success' | 'error';
  statusCode: number;
  message: string;
  data: unknown;
}

export function success(data: unknown, statusCode = 200, message = ''): Envelope {
  return { version: API_VERSION, status: 'success', statusCode, message, data };
}

export function failure(statusCode: number, message: string): Envelope {
  return { version: API_VERSION, status: 'error', statusCode, message, data: null };
}
