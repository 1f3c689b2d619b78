import { randomUUID } from 'node:crypto';

/** One answer of the Graph harness: JSON, raw bytes ($value) or nothing (204). */
export interface GraphAnswer {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  /** Cut the connection instead of answering (status is then meaningless). */
  drop?: boolean;
}

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id } } }`. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): GraphAnswer {
  const innerError = {
    date: new Date().toISOString().replace(/\.\d+Z$/, ''),
    'request-id': randomUUID(),
    'client-request-id': randomUUID(),
  };
  return { status, headers, json: { error: { code, message, innerError } } };
}
