// oidc-provider ships no types; the harness's local Google/Microsoft (oauth-provider.ts) is its only
// user and touches a small part of it, typed loosely here.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; details: Record<string, unknown> };
    params: Record<string, string | undefined>;
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface AccessTokenInstance {
    accountId?: string;
    clientId: string;
    grantId?: string;
    scope?: string;
    aud?: string | string[];
    isExpired: boolean;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      opts?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Koa middleware around the provider's own routes. */
    use(middleware: (ctx: { method: string; path: string; status: number; body: unknown }, next: () => Promise<void>) => Promise<void>): this;
    Grant: {
      new (props: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    AccessToken: { find(token: string): Promise<AccessTokenInstance | undefined> };
    ClientCredentials: { find(token: string): Promise<AccessTokenInstance | undefined> };
  }
  export const errors: Record<string, new (description?: string) => Error>;
}
