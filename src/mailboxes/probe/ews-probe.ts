// The staged connection test of an EWS mailbox. Contract only: built on the branch "ews".
import type { HostPolicy } from '../host-policy.ts';
import type { ProbeReport } from './types.ts';

export interface EwsProbeTarget {
  email: string;
  /** The EWS endpoint the admin typed or discovery found; null: run Autodiscover for `email` first. */
  url: string | null;
  /** DOMAIN\user or user@domain (UPN). */
  username: string;
  password: string;
  /** Catalogue id: picks provider-specific fixes. */
  providerId?: string;
  allowPlaintext: boolean;
  pinnedCertPem: string | null;
  extraCaPems?: string[];
  hostPolicy: HostPolicy;
  /** Per stage; default 10000. */
  timeoutMs?: number;
}

/**
 * Stages: autodiscover (when `url` is null), dns, connect, tls, auth (NTLM or Basic), list (the folder
 * hierarchy): report.protocol 'ews', report.url the endpoint used (to store on the mailbox).
 */
export async function probeEws(_target: EwsProbeTarget): Promise<ProbeReport> {
  throw new Error('The EWS probe is not built yet.');
}
