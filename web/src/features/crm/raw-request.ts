import { ApiError, readCookie } from '../../api/client.ts';

/**
 * The CSV upload and the stage reorder (PUT) need what the shared JSON client does not offer: a text/csv
 * body and the PUT verb. Same session cookie, CSRF header, timeout and problem+json errors.
 */
export async function rawRequest<T>(method: 'POST' | 'PUT', path: string, body: string | Blob, contentType: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
  const csrf = readCookie('tidings_csrf');
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: AbortSignal.timeout(60_000) });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    throw new ApiError({ status: 0, code: timedOut ? 'timeout' : 'network_error' }, { cause });
  }
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const p = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    throw new ApiError({ ...p, status: response.status, code: typeof p.code === 'string' ? p.code : `http_${response.status}` });
  }
  return data as T;
}
