import { ADMIN } from './app.ts';

/** A browser-like session over real HTTP: the session cookie and the CSRF header. */
export class HttpSession {
  constructor(
    readonly url: string,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  static async from(url: string, res: Response): Promise<HttpSession> {
    if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const csrf = cookies.find((c) => c.startsWith('tidings_csrf='))!.split('=')[1]!;
    return new HttpSession(url, cookies.join('; '), csrf);
  }

  /** Creates the first admin (ADMIN) on a fresh server. */
  static async setup(url: string): Promise<HttpSession> {
    const res = await fetch(`${url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    return HttpSession.from(url, res);
  }

  static async signIn(url: string, email = ADMIN.email, password = ADMIN.password): Promise<HttpSession> {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return HttpSession.from(url, res);
  }

  fetch(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    return fetch(this.url + path, {
      method: init.method ?? 'GET',
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  async json<T = any>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const res = await this.fetch(path, init);
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
