// Walks the local provider's pages over plain HTTP the way a browser would: keeps cookies, follows
// redirects that stay on the provider, submits the form of each page (see data-step in oauth-pages.ts),
// and stops at the first redirect that leaves the provider (the client's redirect_uri).
import { HarnessError } from './errors.ts';

export interface PageForm {
  step: string;
  action: string;
  fields: Record<string, string>;
}

export interface WalkerPage {
  url: string;
  html: string;
  form?: PageForm;
  /** data-step of a page without a form (device-done, error). */
  step?: string;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1].replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&') : undefined;
}

export function parsePage(url: string, html: string): WalkerPage {
  const formMatch = /<form\b[^>]*>[\s\S]*?<\/form>/.exec(html);
  if (!formMatch) return { url, html, step: /data-step="([^"]*)"/.exec(html)?.[1] };
  const formTag = /<form\b[^>]*>/.exec(formMatch[0])?.[0] ?? '';
  const fields: Record<string, string> = {};
  for (const input of formMatch[0].match(/<input\b[^>]*>/g) ?? []) {
    const name = attr(input, 'name');
    if (name) fields[name] = attr(input, 'value') ?? '';
  }
  return {
    url,
    html,
    form: { step: attr(formTag, 'data-step') ?? '', action: new URL(attr(formTag, 'action') ?? '', url).href, fields },
  };
}

export class Walker {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /**
   * Requests `url`, following redirects on the provider. Returns the provider's page, or the URL of a
   * redirect that leaves the provider.
   */
  async go(url: string, body?: Record<string, string>): Promise<{ page?: WalkerPage; leftTo?: string }> {
    let next: { url: string; body?: Record<string, string> } = { url, body };
    for (let hops = 0; hops < 20; hops += 1) {
      const res = await fetch(next.url, {
        method: next.body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: this.cookieHeader(),
          ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: next.body ? new URLSearchParams(next.body).toString() : undefined,
      });
      this.keepCookies(res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        const target = new URL(location, next.url);
        if (target.origin !== this.origin) return { leftTo: target.href };
        next = { url: target.href };
        continue;
      }
      const html = await res.text();
      const page = parsePage(next.url, html);
      if (res.status >= 400 && page.step !== 'error') {
        throw new HarnessError('OAUTH_PROVIDER_PAGE', `the provider answered ${res.status} at ${next.url}: ${html.slice(0, 300)}`);
      }
      return { page };
    }
    throw new HarnessError('OAUTH_PROVIDER_PAGE', 'too many redirects on the provider');
  }

  /** Submits the page's form with `values` (and, for a button, its name/value). */
  submit(page: WalkerPage, values: Record<string, string>): Promise<{ page?: WalkerPage; leftTo?: string }> {
    if (!page.form) throw new HarnessError('OAUTH_PROVIDER_PAGE', `no form on ${page.url}`);
    return this.go(page.form.action, { ...page.form.fields, ...values });
  }
}
