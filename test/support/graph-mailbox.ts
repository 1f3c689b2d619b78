// A Microsoft 365 mailbox over Graph for sync tests: the local Microsoft issuing Graph tokens, the Graph
// harness server checking them, and a mailbox row bound as the sign-in flow binds it (protocol 'graph',
// auth_kind 'oauth2', api_url the server's base URL, its certificate pinned).
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.ts';
import type { MailboxRow } from '../../src/mailboxes/tables.ts';
import type { AccessTokenSource } from '../../src/sync/access-token-source.ts';
import type { Vault } from '../../src/vault/index.ts';
import { GRAPH_MAIL_SCOPE, GRAPH_SEND_SCOPE, oauthTestClient, startGraphServer, startOAuthProvider } from '../harness/index.ts';
import type { GraphServerInstance, OAuthProviderInstance, OAuthTestClient } from '../harness/index.ts';
import { insertServerMailbox } from './rows.ts';

export const GRAPH_SCOPES = `openid email offline_access ${GRAPH_MAIL_SCOPE} ${GRAPH_SEND_SCOPE}`;

/** Refresh-token grants against the local Microsoft; a token is reused while it has 5 s left. */
export class GraphTokenSource implements AccessTokenSource {
  readonly refreshTokens = new Map<string, string>();
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly client: OAuthTestClient) {}

  async accessTokenFor(mailbox: MailboxRow, opts: { minValiditySeconds?: number } = {}): Promise<string> {
    const cached = this.cache.get(mailbox.id);
    if (cached && cached.expiresAt - Date.now() > (opts.minValiditySeconds ?? 5) * 1000) return cached.token;
    const refreshToken = this.refreshTokens.get(mailbox.id);
    if (!refreshToken) throw Object.assign(new Error('no grant'), { code: 'oauth_revoked' });
    const tokens = await this.client.refresh(refreshToken);
    if (tokens.refreshToken) this.refreshTokens.set(mailbox.id, tokens.refreshToken);
    this.cache.set(mailbox.id, { token: tokens.accessToken, expiresAt: Date.now() + (tokens.expiresIn ?? 0) * 1000 });
    return tokens.accessToken;
  }
}

export interface GraphWorld {
  microsoft: OAuthProviderInstance;
  graph: GraphServerInstance;
  client: OAuthTestClient;
  stop(): Promise<void>;
}

/** The local Microsoft and a Graph server with `user`'s mailbox. */
export async function startGraphWorld(user: string): Promise<GraphWorld> {
  const microsoft = await startOAuthProvider({ kind: 'microsoft' });
  try {
    microsoft.addAccount(user);
    const graph = await startGraphServer({ userinfoUrl: microsoft.userinfoUrl });
    graph.addMailbox(user);
    const client = await oauthTestClient(microsoft);
    return {
      microsoft,
      graph,
      client,
      async stop() {
        await graph.stop();
        await microsoft.stop();
      },
    };
  } catch (err) {
    await microsoft.stop();
    throw err;
  }
}

/** Inserts the mailbox row and signs `user` in; returns its id and a token source that knows the grant. */
export async function bindGraphMailbox(
  db: Kysely<Database>,
  vault: Vault,
  world: GraphWorld,
  opts: { ownerUserId: string; email: string; syncFolders?: string[] },
): Promise<{ mailboxId: string; tokens: GraphTokenSource; refreshToken: string }> {
  const mailboxId = await insertServerMailbox(
    db,
    vault,
    { imapsPort: world.graph.port, certPem: world.graph.certPem },
    {
      ownerUserId: opts.ownerUserId,
      email: opts.email,
      password: 'stands-for-the-refresh-token',
      syncFolders: opts.syncFolders,
    },
  );
  await db
    .updateTable('mailboxes')
    .set({ auth_kind: 'oauth2', protocol: 'graph', api_url: world.graph.baseUrl })
    .where('id', '=', mailboxId)
    .execute();
  const tokens = new GraphTokenSource(world.client);
  const refreshToken = (await world.client.signIn(opts.email, { scope: GRAPH_SCOPES })).refreshToken!;
  tokens.refreshTokens.set(mailboxId, refreshToken);
  return { mailboxId, tokens, refreshToken };
}
