// The staged connection test of a Microsoft Graph mailbox. Contract only: built on the branch "graph".
import type { HostPolicy } from '../host-policy.ts';
import type { ProbeReport } from './types.ts';

export interface GraphProbeTarget {
  email: string;
  /** Graph's versioned base URL (https://graph.microsoft.com/v1.0). */
  baseUrl: string;
  /** 'me' with a user's sign-in; the user's id or address with an app-only token. */
  user: string;
  /** The access token got for this test (the token stage ran before). */
  accessToken: string;
  pinnedCertPem: string | null;
  extraCaPems?: string[];
  hostPolicy: HostPolicy;
  /** Per stage; default 10000. */
  timeoutMs?: number;
}

/** Stages: dns, connect, tls, auth (the token accepted), list (the mail folders): report.protocol 'graph'. */
export async function probeGraph(_target: GraphProbeTarget): Promise<ProbeReport> {
  throw new Error('The Graph probe is not built yet.');
}
