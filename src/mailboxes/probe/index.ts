export { probeImap } from './imap-probe.ts';
export { probeSmtp } from './smtp-probe.ts';
export { GENERIC_FIXES, PROVIDER_FIXES } from './fixes.ts';
export { tokenFailureReport, withTokenStage } from './token-stage.ts';
export type { TokenFailure, TokenStageTarget } from './token-stage.ts';
export type {
  LocalText,
  OAuthFailureCode,
  OAuthServerFailureCode,
  OAuthTokenFailureCode,
  ProbeCertificate,
  ProbeFailure,
  ProbeFailureCode,
  ProbeReport,
  ProbeSecurity,
  ProbeTarget,
  SmtpProbeTarget,
  StageName,
  StageResult,
} from './types.ts';
