/**
 * The one HTTP client of the web app: JSON in and out, the session cookie, the CSRF header on every
 * non-GET request, and problem+json errors turned into ApiError.
 */

export interface ProblemFieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  errors?: ProblemFieldError[];
  /** Sent with 429 too_many_attempts. */
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem, options?: { cause?: unknown }) {
    super(problem.detail ?? problem.title ?? problem.code, options);
    this.name = 'ApiError';
    this.code = problem.code;
    this.status = problem.status;
    this.problem = problem;
  }
}

const CSRF_COOKIE = 'tidings_csrf';
const TIMEOUT_MS = 30_000;
/** An upload (a CSV file) may take longer than a JSON call. */
const UPLOAD_TIMEOUT_MS = 60_000;

/** A body sent as it is, with its own content type (a CSV file), instead of JSON. */
export interface RawBody {
  data: Blob | string;
  contentType: string;
}

type UnauthenticatedListener = () => void;
let onUnauthenticated: UnauthenticatedListener | null = null;

/** The session layer registers here to learn that the session ended (expired, signed out elsewhere). */
export function setUnauthenticatedListener(listener: UnauthenticatedListener | null): void {
  onUnauthenticated = listener;
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

async function toProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      return {
        ...body,
        status: typeof body.status === 'number' ? body.status : response.status,
        code: typeof body.code === 'string' ? body.code : `http_${response.status}`,
      };
    } catch {
      // Fall through: a broken body is reported like any non-JSON error.
    }
  }
  return { status: response.status, code: `http_${response.status}`, title: response.statusText };
}

async function request<T>(method: string, path: string, body?: unknown, raw?: RawBody): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (raw) headers['content-type'] = raw.contentType;
  else if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers['x-csrf-token'] = csrf;
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: raw ? raw.data : body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(raw ? UPLOAD_TIMEOUT_MS : TIMEOUT_MS),
    });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    throw new ApiError({ status: 0, code: timedOut ? 'timeout' : 'network_error' }, { cause });
  }

  if (!response.ok) {
    const problem = await toProblem(response);
    if (problem.status === 401 && problem.code === 'unauthenticated') onUnauthenticated?.();
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  /** POST of a non-JSON body (a CSV upload); the answer is still JSON. */
  upload: <T>(path: string, body: RawBody) => request<T>('POST', path, undefined, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};
