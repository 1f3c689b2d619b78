import { explainFailure } from './explain.ts';
import { GENERIC_FIXES } from './fixes.ts';
import { ProbeError } from './probe-error.ts';
import type { OAuthFailureCode, ProbeReport, ProbeSecurity, StageResult } from './types.ts';

/** Where the token was for: the server the report is about. */
export interface TokenStageTarget {
  protocol: 'imap' | 'smtp';
  host: string;
  port: number;
  security: ProbeSecurity;
  /** Catalogue id ('gmail', 'microsoft365', …): picks provider-specific fixes. */
  providerId?: string;
  /** The provider's name for messages ("Google", "Microsoft"). */
  providerName?: string;
}

/** What src/signin throws (SigninError), or anything shaped like it. */
export interface TokenFailure {
  code: string;
  /** The provider's own words (e.g. "AADSTS65001: …"), quoted in the report; never a secret. */
  message?: string;
}

function isOAuthFailureCode(code: string): code is OAuthFailureCode {
  return code.startsWith('oauth_') && code in GENERIC_FIXES;
}

/**
 * The connection test's report when getting the access token failed, before any connection: one failed
 * `token` stage with the code's explanation and fix. An unknown code counts as the provider failing
 * (oauth_provider_unreachable, temporary), its text kept.
 */
export function tokenFailureReport(target: TokenStageTarget, failure: TokenFailure, ms = 0): ProbeReport {
  const code: OAuthFailureCode = isOAuthFailureCode(failure.code) ? failure.code : 'oauth_provider_unreachable';
  const error = new ProbeError(
    code,
    {
      reply: failure.message?.slice(0, 300),
      params: target.providerName ? { provider: target.providerName } : {},
    },
    'token',
  );
  const stage: StageResult = { stage: 'token', ok: false, ms, detail: { code: failure.code } };
  return {
    protocol: target.protocol,
    ok: false,
    host: target.host,
    port: target.port,
    security: target.security,
    stages: [stage],
    failure: explainFailure(error, {
      protocol: target.protocol,
      host: target.host,
      port: target.port,
      providerId: target.providerId,
      timeoutMs: 0,
    }),
    transcript: ['-- no connection made: no access token'],
    totalMs: ms,
  };
}

/** Puts a passed `token` stage (how long getting the token took) in front of a probe's report. */
export function withTokenStage(report: ProbeReport, ms: number): ProbeReport {
  return { ...report, stages: [{ stage: 'token', ok: true, ms }, ...report.stages], totalMs: report.totalMs + ms };
}
